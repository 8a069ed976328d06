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
 * The seller's books per (torrent, payer) kept durably, so that a seller that restarts — even after
 * {@code kill -9} — continues the same session (spec §6.2, "restart"): its meter goes on from what it had
 * recorded, and its receipt rules go on from the last receipt it accepted, so a resumed payer's receipts
 * are neither refused as BYTES_NOT_SERVED nor replayable. Credited payments are not kept here: the
 * payment ledger is their record (written before a payment is credited). Written atomically with an
 * fsync, like resume data. Thread-safe.
 */
public final class PayeeBooks {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What the seller had recorded for one payer and torrent.
     *
     * @param servedBytes paid piece bytes served
     * @param servedNumerator Σ bytes·rate of those bytes before the division by 2^30 (spec §6.3)
     * @param lowestRate the lowest rate ever charged to this payer for this torrent, base units per GiB; zero
     *     when none was ever charged
     * @param acceptedBytes {@code bytes} of the last accepted receipt (0 if none)
     * @param acceptedAmount {@code amount} of the last accepted receipt (0 if none)
     * @param acceptedSequence {@code seq} of the last accepted receipt (0 if none)
     */
    public record Book(long servedBytes, BigInteger servedNumerator, BigInteger lowestRate, long acceptedBytes,
                       BigInteger acceptedAmount, long acceptedSequence) {
        public Book {
            Objects.requireNonNull(servedNumerator, "servedNumerator");
            Objects.requireNonNull(lowestRate, "lowestRate");
            Objects.requireNonNull(acceptedAmount, "acceptedAmount");
            if (servedBytes < 0 || servedNumerator.signum() < 0 || lowestRate.signum() < 0 || acceptedBytes < 0
                    || acceptedAmount.signum() < 0 || acceptedSequence < 0) {
                throw new IllegalArgumentException("a seller's book holds no negative counter");
            }
        }
    }

    private final Path file;
    private final Map<String, Book> books;

    private PayeeBooks(Path file, Map<String, Book> books) {
        this.file = file;
        this.books = books;
    }

    /** Books that live only as long as this process (tests, or a helper without a data folder). */
    public static PayeeBooks inMemory() {
        return new PayeeBooks(null, new HashMap<>());
    }

    /** Reads {@code file} if it exists. */
    public static PayeeBooks open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, Book> loaded = new HashMap<>();
        if (Files.exists(file)) {
            try {
                loaded.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, Book>>() {}));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException("the seller's speed books " + file + " cannot be read (" + e.getMessage()
                        + "); move the file aside to start new sessions (resumed payers' receipts may then be refused until they reconnect)", e);
            }
        }
        return new PayeeBooks(file, loaded);
    }

    public synchronized Optional<Book> get(InfoHash infoHash, TronAddress payer) {
        return Optional.ofNullable(books.get(key(infoHash, payer)));
    }

    /** Records a book durably; on failure what is on disk (and here) still stands. */
    public synchronized void put(InfoHash infoHash, TronAddress payer, Book book) throws IOException {
        Objects.requireNonNull(book, "book");
        Book previous = books.put(key(infoHash, payer), book);
        if (file == null) {
            return;
        }
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(books));
        } catch (IOException e) {
            if (previous == null) {
                books.remove(key(infoHash, payer));
            } else {
                books.put(key(infoHash, payer), previous);
            }
            throw e;
        }
    }

    private static String key(InfoHash infoHash, TronAddress payer) {
        return infoHash.hex() + ":" + payer.toBase58();
    }
}
