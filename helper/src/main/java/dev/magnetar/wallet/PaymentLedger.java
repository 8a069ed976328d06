package dev.magnetar.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.magnetar.util.AtomicFiles;
import dev.magnetar.util.RecordJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every payment the wallet sent or received, persisted as one JSON file rewritten atomically (temp +
 * fsync + rename, mode 0600) on every change, so a crash leaves the previous or the next state, never
 * a torn one. A payment is keyed twice — by its payment id (chosen before signing) and by its
 * transaction id — and neither can be recorded twice. Status only moves forward:
 * PREPARED → BROADCAST → CONFIRMED | FAILED (recovery may jump from PREPARED straight to a final state).
 */
public final class PaymentLedger {

    /** Writes the file; built at the first payment, not in the daemon's start, which reads the file with {@link RecordJson}. */
    static final class Binding {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, PaymentEntry> byPaymentId = new LinkedHashMap<>();
    private final Map<String, String> paymentIdByTxid = new LinkedHashMap<>();

    private PaymentLedger(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public static PaymentLedger open(Path file, Clock clock) throws LedgerStorageException {
        PaymentLedger ledger = new PaymentLedger(file, clock);
        if (Files.exists(file)) {
            try {
                // Streamed, not data-bound: the daemon reads this before its API answers (RecordJson says why).
                List<PaymentEntry> entries = RecordJson.readList(Files.readAllBytes(file), PaymentEntry.class);
                for (PaymentEntry e : entries) {
                    ledger.index(e);
                }
            } catch (IOException e) {
                throw new LedgerStorageException("cannot read payment ledger " + file + ": " + e.getMessage()
                        + "; restore it from a backup or move it aside (payments on chain stay visible in the block explorer)", e);
            }
        }
        return ledger;
    }

    private void index(PaymentEntry e) {
        byPaymentId.put(e.paymentId(), e);
        paymentIdByTxid.put(e.txid(), e.paymentId());
    }

    /** Records a new payment; refuses a payment id or a transaction id that is already there. */
    public synchronized void record(PaymentEntry entry) throws DuplicatePaymentException, LedgerStorageException {
        if (byPaymentId.containsKey(entry.paymentId())) {
            throw new DuplicatePaymentException("payment " + entry.paymentId() + " is already in the ledger");
        }
        if (paymentIdByTxid.containsKey(entry.txid())) {
            throw new DuplicatePaymentException("transaction " + entry.txid() + " is already in the ledger as payment "
                    + paymentIdByTxid.get(entry.txid()));
        }
        index(entry);
        persistOrRollback(() -> {
            byPaymentId.remove(entry.paymentId());
            paymentIdByTxid.remove(entry.txid());
        });
    }

    /** Moves a payment forward; moving a final payment or moving backwards is a programming error. */
    public synchronized PaymentEntry advance(String paymentId, PaymentStatus next, long blockNumber, long feeSun, String failure)
            throws LedgerStorageException {
        PaymentEntry current = byPaymentId.get(paymentId);
        if (current == null) {
            throw new IllegalArgumentException("no payment " + paymentId + " in the ledger");
        }
        if (current.status() == next) {
            return current;
        }
        if (current.status().isFinal() || next.ordinal() < current.status().ordinal()) {
            throw new IllegalStateException("payment " + paymentId + " cannot move from " + current.status() + " to " + next);
        }
        PaymentEntry updated = current.withStatus(next, blockNumber, feeSun, failure, clock.millis());
        byPaymentId.put(paymentId, updated);
        persistOrRollback(() -> byPaymentId.put(paymentId, current));
        return updated;
    }

    public synchronized Optional<PaymentEntry> byPaymentId(String paymentId) {
        return Optional.ofNullable(byPaymentId.get(paymentId));
    }

    public synchronized Optional<PaymentEntry> byTxid(String txid) {
        return Optional.ofNullable(paymentIdByTxid.get(txid)).map(byPaymentId::get);
    }

    public synchronized List<PaymentEntry> entries() {
        return List.copyOf(byPaymentId.values());
    }

    /** Sent payments whose outcome is not yet known: what {@code reconcile()} works through after a restart. */
    public synchronized List<PaymentEntry> unsettled() {
        List<PaymentEntry> out = new ArrayList<>();
        for (PaymentEntry e : byPaymentId.values()) {
            if (e.direction() == PaymentEntry.Direction.SENT && !e.status().isFinal()) {
                out.add(e);
            }
        }
        return out;
    }

    private void persistOrRollback(Runnable rollback) throws LedgerStorageException {
        try {
            AtomicFiles.writePrivate(file, Binding.JSON.writeValueAsBytes(new ArrayList<>(byPaymentId.values())));
        } catch (IOException e) {
            rollback.run();
            throw new LedgerStorageException("cannot write payment ledger " + file + ": " + e.getMessage(), e);
        }
    }
}
