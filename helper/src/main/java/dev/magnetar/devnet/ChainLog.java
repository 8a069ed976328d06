package dev.magnetar.devnet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devnet's chain as an append-only log of JSON lines: one line per produced block (the block's
 * protobuf, transactions and their results included) and one per faucet credit. State is rebuilt by
 * replaying the log through the same execution code that produced it.
 *
 * <p>Why a log and not a snapshot: blocks arrive every few seconds forever, so rewriting a whole
 * snapshot (AtomicFiles) would cost O(chain) per block; appending costs O(block). Crash safety comes
 * from fsync per append and from dropping a torn last line (a crash mid-append) on the next open —
 * everything before it was acknowledged and is intact. The log only holds what came after the last
 * {@link ChainSnapshot}, which bounds both its size and the replay at start.
 */
final class ChainLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChainLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One line of the log: a block (protobuf bytes, base64 in JSON), a faucet credit, or a transaction
     * accepted into the pending pool (so that a broadcast the devnet acknowledged survives a restart
     * until the next block executes or drops it).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(byte[] block, String faucetAddressHex, Long faucetSun, String faucetBttBaseUnits, byte[] pending) {
        static Entry ofBlock(byte[] block) {
            return new Entry(block, null, null, null, null);
        }

        static Entry ofFaucet(String addressHex, long sun, String btt) {
            return new Entry(null, addressHex, sun, btt, null);
        }

        static Entry ofPending(byte[] transaction) {
            return new Entry(null, null, null, null, transaction);
        }
    }

    private final Path file;
    private final FileChannel channel;

    private ChainLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating) the log, returning it together with every intact entry already in it. */
    static ChainLog open(Path file, List<Entry> replayInto) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            long goodLength = 0;
            if (Files.exists(file)) {
                byte[] all = Files.readAllBytes(file);
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] != '\n') {
                        continue;
                    }
                    String line = new String(all, start, i - start, StandardCharsets.UTF_8);
                    try {
                        replayInto.add(JSON.readValue(line, Entry.class));
                    } catch (IOException e) {
                        LOG.warn("devnet chain log {}: unreadable line at byte {}, ignoring it and everything after", file, start);
                        break;
                    }
                    start = i + 1;
                    goodLength = start;
                }
                if (goodLength < all.length) {
                    LOG.warn("devnet chain log {}: dropping {} bytes of a torn last write", file, all.length - goodLength);
                }
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ch.truncate(goodLength);
            ch.position(goodLength);
            return new ChainLog(file, ch);
        } catch (IOException e) {
            throw new DevnetStorageException("cannot open devnet chain log " + file + ": " + e.getMessage(), e);
        }
    }

    void append(Entry entry) {
        try {
            byte[] line = (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new DevnetStorageException("cannot append to devnet chain log " + file + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    static List<Entry> newReplayList() {
        return new ArrayList<>();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing devnet chain log {}", file, e);
        }
    }
}
