package dev.magnetar.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The devnet's state at one block, so that the chain log need only hold what came after it: a block is
 * made every few seconds for as long as the helper runs, and a log of all of them grew on disk without
 * end and was replayed in full at every start. It holds what a restart needs and nothing more —
 * balances (TRX and the BTT token's), the blocks kept in memory, the TaPoS ids of the window java-tron
 * checks, the transaction index and the pending pool — and names the log that continues it.
 *
 * <p>Written atomically (a crash leaves the previous snapshot and its log intact); the log it names is
 * created before the snapshot and the previous log deleted after, so a log a crash left behind is
 * recognisable as not the named one and never replayed twice.
 */
record ChainSnapshot(
        int generation,
        Map<String, Long> trxSun,
        Map<String, String> bttBaseUnits,
        List<byte[]> recentBlocks,
        long taposFrom,
        byte[] taposHashes,
        List<Included> included,
        List<byte[]> pending) {

    /** A transaction in a block and its receipt, protobuf bytes each. */
    record Included(byte[] transaction, byte[] info) {}

    static final String FILE = "chain.snapshot.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The log after snapshot {@code generation}; the first, before any snapshot, keeps the old name. */
    static String logName(int generation) {
        return generation == 0 ? "chain.log" : "chain-" + generation + ".log";
    }

    String logName() {
        return logName(generation);
    }

    static Optional<ChainSnapshot> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ChainSnapshot.class));
        } catch (IOException e) {
            // Left in place: it and its log are the chain; starting afresh would lose every balance.
            throw new DevnetStorageException("cannot read devnet chain snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    void write(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new DevnetStorageException("cannot write devnet chain snapshot " + file + ": " + e.getMessage(), e);
        }
    }
}
