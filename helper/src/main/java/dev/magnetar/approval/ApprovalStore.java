package dev.magnetar.approval;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.magnetar.util.AtomicFiles;
import dev.magnetar.util.RecordJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All live spend requests, the decided ones a user may still look at ({@link DecidedRequestRetention}),
 * their budgets and outstanding reservations, persisted as one JSON file written
 * atomically after every change (so a restart, even after {@code kill -9}, sees exact amounts). Every
 * method is synchronized on the store; {@link SpendAuthorizer} holds the same monitor across its
 * check-and-reserve. A write failure leaves memory unchanged and throws.
 *
 * <p>Listeners are called under the store's lock after each persisted change and must not block
 * (the API enqueues an event and returns).
 */
public final class ApprovalStore {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalStore.class);
    static final int FILE_VERSION = 1;

    /** Persisted shape. */
    record Snapshot(int version, List<Budget> budgets, List<Reservation> reservations) {}

    public interface Listener {
        void budgetChanged(Budget budget);
    }

    private final Path file;
    private final Clock clock;
    private final DecidedRequestRetention retention;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private Map<String, Budget> budgets = new LinkedHashMap<>();
    private Map<String, Reservation> reservations = new LinkedHashMap<>();

    private ApprovalStore(Path file, Clock clock, DecidedRequestRetention retention) {
        this.file = file;
        this.clock = clock;
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** Opens (or starts empty at) {@code file}; a damaged file is an error, never silently reset. */
    public static ApprovalStore open(Path file, Clock clock) throws ApprovalStoreException {
        return open(file, clock, DecidedRequestRetention.DEFAULT);
    }

    /**
     * As {@link #open(Path, Clock)}, keeping decided requests as {@code retention} says. Decisions past it
     * in the file are dropped from memory at once and from the file at its next write.
     */
    public static ApprovalStore open(Path file, Clock clock, DecidedRequestRetention retention) throws ApprovalStoreException {
        ApprovalStore store = new ApprovalStore(file, clock, retention);
        if (Files.exists(file)) {
            try {
                // Streamed, not data-bound: the daemon reads this before its API answers (RecordJson says why).
                Snapshot snapshot = RecordJson.read(Files.readAllBytes(file), Snapshot.class);
                if (snapshot.version() != FILE_VERSION) {
                    throw new ApprovalStoreException("approvals file " + file + " has version " + snapshot.version()
                            + "; this helper reads version " + FILE_VERSION, null);
                }
                for (Budget b : snapshot.budgets()) {
                    store.budgets.put(b.id(), b);
                }
                for (Reservation r : snapshot.reservations()) {
                    store.reservations.put(r.id(), r);
                }
                store.forgetOldDecisions(store.budgets, store.reservations);
            } catch (IOException | RuntimeException e) {
                throw new ApprovalStoreException("approvals file " + file + " is unreadable (" + e.getMessage()
                        + "); move it aside to start with no budgets", e);
            }
        }
        return store;
    }

    public static Path defaultFile(Path dataDirectory) {
        return dataDirectory.resolve("approvals.json");
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public Clock clock() {
        return clock;
    }

    /** Files a new request as PENDING. */
    public synchronized Budget file(SpendRequest request) throws ApprovalException {
        if (budgets.containsKey(request.id())) {
            throw new BudgetTransitionException("a spend request with id " + request.id() + " already exists");
        }
        Budget budget = Budget.pending(request);
        apply(budget, null, null);
        LOG.info("Spend request {} filed: {} cap {} on {}", request.id(), request.purpose(), request.cap(), request.networkId());
        return budget;
    }

    /**
     * Approves a pending request. Stacking rule: approving a boost REPLACES any approved boost for the
     * same torrent on the same network; it does not top it up. The cap the user reads in the approval
     * window is then the most that can be spent on that torrent from now on, which is how a TronLink
     * user already knows allowances to work (TRC-20 {@code approve(spender, amount)}, like ERC-20's,
     * sets the allowance; it does not add to it). Topping up would let more than the approved cap be
     * spent, a sum the window never showed. What the replaced budget left unspent stays in the wallet;
     * payments it had already reserved may still commit against it.
     *
     * <p>The replaced budgets are persisted before the new approval, so a crash in between can only
     * leave less spendable, never more.
     */
    public synchronized Budget approve(String id) throws ApprovalException {
        Instant now = clock.instant();
        Budget next = require(id).approve(now);
        for (Budget older : List.copyOf(budgets.values())) {
            if (older.isReplacedBy(next.request(), now)) {
                apply(older.replace(now), null, null);
                LOG.info("Budget {} replaced by newly approved {} (spent {}, left {} unspent)", older.id(), id, older.spent(), older.remaining());
            }
        }
        apply(next, null, null);
        LOG.info("Spend request {} approved", id);
        return next;
    }

    public synchronized Budget reject(String id) throws ApprovalException {
        Budget next = require(id).reject(clock.instant());
        apply(next, null, null);
        LOG.info("Spend request {} rejected", id);
        return next;
    }

    public synchronized Budget revoke(String id) throws ApprovalException {
        Budget next = require(id).revoke(clock.instant());
        apply(next, null, null);
        LOG.info("Budget {} revoked", id);
        return next;
    }

    /**
     * Persists EXPIRED for every pending/approved budget past its expiry; returns those changed. Also
     * forgets decided requests that have outlived {@link DecidedRequestRetention} even when nothing else
     * changed.
     */
    public synchronized List<Budget> expireDue() throws ApprovalException {
        Instant now = clock.instant();
        List<Budget> expired = new ArrayList<>();
        for (Budget b : List.copyOf(budgets.values())) {
            if (!b.state().isFinal() && b.stateAt(now) == BudgetState.EXPIRED) {
                Budget next = b.expire(now);
                apply(next, null, null);
                expired.add(next);
            }
        }
        Map<String, Budget> kept = new LinkedHashMap<>(budgets);
        if (forgetOldDecisions(kept, reservations)) {
            persist(kept, reservations);
            budgets = kept;
        }
        return expired;
    }

    public synchronized Optional<Budget> find(String id) {
        return Optional.ofNullable(budgets.get(id));
    }

    public synchronized List<Budget> budgets() {
        return List.copyOf(budgets.values());
    }

    /** Reservations not yet committed or released — after a restart, the ledger reconciles these. */
    public synchronized List<Reservation> reservations() {
        return List.copyOf(reservations.values());
    }

    synchronized Budget require(String id) throws UnknownBudgetException {
        Budget b = budgets.get(id);
        if (b == null) {
            throw new UnknownBudgetException("no spend request with id " + id);
        }
        return b;
    }

    synchronized Optional<Reservation> reservation(String id) {
        return Optional.ofNullable(reservations.get(id));
    }

    /**
     * Replaces one budget and adds and/or removes one reservation, persisting before memory changes.
     */
    synchronized void apply(Budget updated, Reservation added, String removedReservationId) throws ApprovalStoreException {
        Map<String, Budget> nextBudgets = new LinkedHashMap<>(budgets);
        nextBudgets.put(updated.id(), updated);
        Map<String, Reservation> nextReservations = new LinkedHashMap<>(reservations);
        if (added != null) {
            nextReservations.put(added.id(), added);
        }
        if (removedReservationId != null) {
            nextReservations.remove(removedReservationId);
        }
        forgetOldDecisions(nextBudgets, nextReservations);
        persist(nextBudgets, nextReservations);
        budgets = nextBudgets;
        reservations = nextReservations;
        for (Listener listener : listeners) {
            try {
                listener.budgetChanged(updated);
            } catch (RuntimeException e) {
                LOG.warn("Approval listener failed", e);
            }
        }
    }

    /** Removes from {@code candidates} the decided requests {@link #retention} lets go; true when it removed any. */
    private boolean forgetOldDecisions(Map<String, Budget> candidates, Map<String, Reservation> outstanding) {
        Set<String> reserved = new HashSet<>();
        outstanding.values().forEach(r -> reserved.add(r.budgetId()));
        Set<String> forget = retention.toForget(candidates.values(), reserved, clock.instant());
        if (forget.isEmpty()) {
            return false;
        }
        candidates.keySet().removeAll(forget);
        LOG.debug("Forgot {} decided spend requests past their retention", forget.size());
        return true;
    }

    private void persist(Map<String, Budget> nextBudgets, Map<String, Reservation> nextReservations) throws ApprovalStoreException {
        try {
            byte[] bytes = Binding.JSON.writeValueAsBytes(new Snapshot(FILE_VERSION,
                    List.copyOf(nextBudgets.values()), List.copyOf(nextReservations.values())));
            AtomicFiles.writePrivate(file, bytes);
        } catch (IOException e) {
            throw new ApprovalStoreException("cannot save approvals to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the file; built at the first change, not in the daemon's start, which reads the file with {@link RecordJson}. */
    private static final class Binding {
        static final ObjectMapper JSON = mapper();
    }

    /** Jackson without the JSR-310 module: Instants as ISO-8601 strings, BigIntegers as exact numbers. What writes the file. */
    static ObjectMapper mapper() {
        SimpleModule time = new SimpleModule("instants");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                try {
                    return Instant.parse(p.getValueAsString());
                } catch (DateTimeParseException e) {
                    throw ctxt.weirdStringException(p.getValueAsString(), Instant.class, "not an ISO-8601 instant");
                }
            }
        });
        return new ObjectMapper().registerModule(time).enable(SerializationFeature.INDENT_OUTPUT);
    }
}
