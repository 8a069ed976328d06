package dev.magnetar.approval;

import dev.magnetar.approval.SpendRefusedException.Reason;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate every token transfer passes before it is signed (DESIGN.md: "spending off" is
 * enforced where signing happens). It reserves the amount against an approved, unexpired,
 * unexhausted budget for exactly that purpose, torrent, network, token and — when the budget names
 * one — recipient; check and reservation happen atomically under the store's lock and are persisted
 * before the caller may sign. The caller then {@link #commit}s (broadcast happened) or
 * {@link #release}s (it never did).
 */
public final class SpendAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(SpendAuthorizer.class);

    private final ApprovalStore store;

    public SpendAuthorizer(ApprovalStore store) {
        this.store = store;
    }

    public Authorization authorize(SpendAttempt attempt) throws SpendRefusedException, ApprovalStoreException {
        Objects.requireNonNull(attempt, "attempt");
        if (attempt.amount() == null || attempt.amount().signum() <= 0) {
            throw new SpendRefusedException(Reason.INVALID_AMOUNT, "a payment amount must be positive, got " + attempt.amount());
        }
        synchronized (store) {
            Instant now = store.clock().instant();
            Budget budget = attempt.budgetId() != null ? namedBudget(attempt) : budgetForTorrent(attempt, now);
            check(budget, attempt, now);
            Reservation reservation = new Reservation(UUID.randomUUID().toString(), budget.id(), attempt.amount(),
                    attempt.recipient(), now);
            store.apply(budget.reserve(attempt.amount(), now), reservation, null);
            LOG.info("Authorised {} base units to {} under budget {} (reservation {})",
                    attempt.amount(), attempt.recipient(), budget.id(), reservation.id());
            SpendRequest r = budget.request();
            return new Authorization(reservation.id(), budget.id(), attempt.amount(), attempt.recipient(), r.networkId(), r.tokenContract());
        }
    }

    /** The transfer was broadcast: the reserved amount becomes spent. Returns the updated budget. */
    public Budget commit(String reservationId) throws ApprovalException {
        synchronized (store) {
            Reservation reservation = store.reservation(reservationId)
                    .orElseThrow(() -> new UnknownBudgetException("no outstanding reservation " + reservationId
                            + " (already committed or released?)"));
            Budget next = store.require(reservation.budgetId()).commit(reservation.amount(), store.clock().instant());
            store.apply(next, null, reservationId);
            LOG.info("Committed reservation {}: budget {} spent {} of {}", reservationId, next.id(), next.spent(), next.request().cap());
            return next;
        }
    }

    /** The transfer failed before broadcast: the reserved amount is available again. */
    public Budget release(String reservationId) throws ApprovalException {
        synchronized (store) {
            Reservation reservation = store.reservation(reservationId)
                    .orElseThrow(() -> new UnknownBudgetException("no outstanding reservation " + reservationId
                            + " (already committed or released?)"));
            Budget next = store.require(reservation.budgetId()).release(reservation.amount(), store.clock().instant());
            store.apply(next, null, reservationId);
            LOG.info("Released reservation {} on budget {}", reservationId, next.id());
            return next;
        }
    }

    private Budget namedBudget(SpendAttempt attempt) throws SpendRefusedException {
        return store.find(attempt.budgetId()).orElseThrow(() -> new SpendRefusedException(Reason.NO_BUDGET,
                "no spend request " + attempt.budgetId() + "; ask the user to approve a budget first"));
    }

    /**
     * For a boost by info-hash: the approved budget for this torrent that can cover the amount; if
     * none can, the refusal explains the best candidate (so the user sees "expired", not "no budget").
     */
    private Budget budgetForTorrent(SpendAttempt attempt, Instant now) throws SpendRefusedException {
        String infoHash = attempt.infoHash() == null ? null : attempt.infoHash().toLowerCase(Locale.ROOT);
        List<Budget> candidates = new ArrayList<>();
        for (Budget b : store.budgets()) {
            if (b.request().purpose() == SpendPurpose.BOOST_TORRENT && Objects.equals(b.request().infoHash(), infoHash)) {
                candidates.add(b);
            }
        }
        if (candidates.isEmpty()) {
            throw new SpendRefusedException(Reason.NO_BUDGET,
                    "no budget for torrent " + infoHash + "; boosting needs an approved spend request");
        }
        SpendRefusedException first = null;
        for (Budget b : candidates) {
            try {
                check(b, attempt, now);
                return b;
            } catch (SpendRefusedException e) {
                if (first == null || rank(e.reason()) > rank(first.reason())) {
                    first = e;
                }
            }
        }
        throw first;
    }

    /** Prefers the most informative refusal when several budgets fail (an approved one over-drawn beats a rejected one). */
    private static int rank(Reason reason) {
        return switch (reason) {
            case OVER_REMAINING -> 5;
            case WRONG_RECIPIENT, WRONG_NETWORK, WRONG_TOKEN -> 4;
            case EXHAUSTED, EXPIRED, REVOKED, REPLACED -> 3;
            case PENDING -> 2;
            default -> 1;
        };
    }

    private static void check(Budget budget, SpendAttempt attempt, Instant now) throws SpendRefusedException {
        SpendRequest r = budget.request();
        String id = budget.id();
        switch (budget.stateAt(now)) {
            case APPROVED -> { }
            case PENDING -> throw new SpendRefusedException(Reason.PENDING, "budget " + id + " is still waiting for the user's approval");
            case REJECTED -> throw new SpendRefusedException(Reason.REJECTED, "the user rejected budget " + id);
            case EXPIRED -> throw new SpendRefusedException(Reason.EXPIRED, "budget " + id + " expired at " + r.expiresAt() + "; file a new request");
            case REVOKED -> throw new SpendRefusedException(Reason.REVOKED, "the user revoked budget " + id);
            case REPLACED -> throw new SpendRefusedException(Reason.REPLACED, "budget " + id + " was replaced by a newer approved boost for this torrent");
            case EXHAUSTED -> throw new SpendRefusedException(Reason.EXHAUSTED, "budget " + id + " is used up (" + r.cap() + " spent)");
        }
        if (attempt.purpose() != r.purpose()) {
            throw new SpendRefusedException(Reason.WRONG_PURPOSE, "budget " + id + " is for " + r.purpose() + ", not " + attempt.purpose());
        }
        if (r.purpose() == SpendPurpose.BOOST_TORRENT && !r.infoHash().equalsIgnoreCase(String.valueOf(attempt.infoHash()))) {
            throw new SpendRefusedException(Reason.WRONG_TORRENT, "budget " + id + " is for torrent " + r.infoHash()
                    + ", not " + attempt.infoHash() + "; a budget is spent only on its own torrent");
        }
        if (!r.networkId().equals(attempt.networkId())) {
            throw new SpendRefusedException(Reason.WRONG_NETWORK, "budget " + id + " is for network " + r.networkId()
                    + ", not " + attempt.networkId());
        }
        if (!Objects.equals(r.tokenContract(), attempt.tokenContract())) {
            throw new SpendRefusedException(Reason.WRONG_TOKEN, "budget " + id + " counts token " + tokenName(r.tokenContract())
                    + ", not " + tokenName(attempt.tokenContract()));
        }
        if (r.recipient() != null && !r.recipient().equals(attempt.recipient())) {
            throw new SpendRefusedException(Reason.WRONG_RECIPIENT, "budget " + id + " pays only " + r.recipient()
                    + ", not " + attempt.recipient());
        }
        BigInteger remaining = budget.remaining();
        if (attempt.amount().compareTo(remaining) > 0) {
            throw new SpendRefusedException(Reason.OVER_REMAINING, "payment of " + attempt.amount() + " exceeds the "
                    + remaining + " left in budget " + id + " (cap " + r.cap() + ", spent " + budget.spent()
                    + ", reserved " + budget.reserved() + ")");
        }
    }

    private static String tokenName(String contract) {
        return contract == null ? "TRX" : contract;
    }
}
