package dev.magnetar.speed;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.util.AtomicFiles;
import dev.magnetar.wallet.TronAddress;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The payer's cumulative counters per (torrent, payee) — what its latest receipt acknowledged — kept
 * durably so that a payer that restarts (even after {@code kill -9}) continues the same session (spec
 * §4.2 "cumulative … across connections"): its next receipt is above the last one in bytes, amount and
 * sequence, so the payee never sees NOT_MONOTONIC, and what it already paid is read back from the wallet's
 * ledger, so nothing is paid twice. Written (temp file, fsync, rename) before the receipt is sent, like
 * resume data. Thread-safe.
 */
public final class PayerSessions {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a payer last signed to one payee for one torrent.
     *
     * @param bytes paid bytes acknowledged
     * @param priceNumerator Σ bytes·rate of those bytes, before the division by 2^30 (spec §6.3): kept exact
     *     so that the next receipt's floor is taken over the whole sum, as the payee takes it
     * @param amount the receipt's amount, base units
     * @param sequence the receipt's sequence number
     */
    public record Counters(long bytes, BigInteger priceNumerator, BigInteger amount, long sequence) {
        public Counters {
            Objects.requireNonNull(priceNumerator, "priceNumerator");
            Objects.requireNonNull(amount, "amount");
            if (bytes < 0 || priceNumerator.signum() < 0 || amount.signum() < 0 || sequence < 1) {
                throw new IllegalArgumentException("counters are >= 0 and a sequence >= 1");
            }
        }
    }

    private final Path file;
    private final Map<String, Counters> counters;

    private PayerSessions(Path file, Map<String, Counters> counters) {
        this.file = file;
        this.counters = counters;
    }

    /** Counters that live only as long as this process (tests, or a helper without a data folder). */
    public static PayerSessions inMemory() {
        return new PayerSessions(null, new HashMap<>());
    }

    /** Reads {@code file} if it exists. */
    public static PayerSessions open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, Counters> loaded = new HashMap<>();
        if (Files.exists(file)) {
            try {
                loaded.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, Counters>>() {}));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException("the speed session file " + file + " cannot be read (" + e.getMessage()
                        + "); move it aside to start new sessions (sellers may then refuse receipts until paid service resumes)", e);
            }
        }
        return new PayerSessions(file, loaded);
    }

    public synchronized Optional<Counters> get(InfoHash infoHash, TronAddress payee) {
        return Optional.ofNullable(counters.get(key(infoHash, payee)));
    }

    /** Records what was just signed, durably, before the receipt goes out. */
    public synchronized void put(InfoHash infoHash, TronAddress payee, Counters c) throws IOException {
        Objects.requireNonNull(c, "counters");
        Counters previous = counters.put(key(infoHash, payee), c);
        if (file == null) {
            return;
        }
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(counters));
        } catch (IOException e) {
            // What is on disk still stands.
            if (previous == null) {
                counters.remove(key(infoHash, payee));
            } else {
                counters.put(key(infoHash, payee), previous);
            }
            throw e;
        }
    }

    private static String key(InfoHash infoHash, TronAddress payee) {
        return infoHash.hex() + ":" + payee.toBase58();
    }
}
