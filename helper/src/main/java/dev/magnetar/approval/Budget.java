package dev.magnetar.approval;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A spend request with its decision and its draw-down: an immutable snapshot; every transition
 * returns a new one. {@code spent} counts committed (broadcast) payments, {@code reserved} payments
 * authorised but not yet broadcast; both are exact base units.
 */
public record Budget(SpendRequest request, BudgetState state, BigInteger spent, BigInteger reserved, Instant updatedAt) {

    public Budget {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(spent, "spent");
        Objects.requireNonNull(reserved, "reserved");
    }

    /** A freshly filed request. */
    public static Budget pending(SpendRequest request) {
        return new Budget(request, BudgetState.PENDING, BigInteger.ZERO, BigInteger.ZERO, request.createdAt());
    }

    public String id() {
        return request.id();
    }

    /** What can still be authorised: cap − spent − reserved (never negative). */
    public BigInteger remaining() {
        return request.cap().subtract(spent).subtract(reserved).max(BigInteger.ZERO);
    }

    /** The state as of {@code now}: a pending or approved budget past its expiry counts as expired. */
    public BudgetState stateAt(Instant now) {
        if (!state.isFinal() && !now.isBefore(request.expiresAt())) {
            return BudgetState.EXPIRED;
        }
        return state;
    }

    public Budget approve(Instant now) throws BudgetTransitionException {
        requireState(now, BudgetState.PENDING, "approve");
        return with(BudgetState.APPROVED, spent, reserved, now);
    }

    public Budget reject(Instant now) throws BudgetTransitionException {
        requireState(now, BudgetState.PENDING, "reject");
        return with(BudgetState.REJECTED, spent, reserved, now);
    }

    /** Stops further spending; payments already reserved may still be committed (the money may be gone). */
    public Budget revoke(Instant now) throws BudgetTransitionException {
        requireState(now, BudgetState.APPROVED, "revoke");
        return with(BudgetState.REVOKED, spent, reserved, now);
    }

    /** A newer approved boost for the same torrent took over; like revoke, reservations in flight may still commit. */
    public Budget replace(Instant now) throws BudgetTransitionException {
        requireState(now, BudgetState.APPROVED, "replace");
        return with(BudgetState.REPLACED, spent, reserved, now);
    }

    /** True when approving {@code newer} would replace this budget: both boost the same torrent on the same network. */
    public boolean isReplacedBy(SpendRequest newer, Instant now) {
        SpendRequest r = request;
        return stateAt(now) == BudgetState.APPROVED && !r.id().equals(newer.id())
                && r.purpose() == SpendPurpose.BOOST_TORRENT && newer.purpose() == SpendPurpose.BOOST_TORRENT
                && r.infoHash().equals(newer.infoHash()) && r.networkId().equals(newer.networkId());
    }

    /** Records that the request ran out of time (only from PENDING or APPROVED). */
    public Budget expire(Instant now) throws BudgetTransitionException {
        if (state.isFinal()) {
            throw new BudgetTransitionException("cannot expire budget " + id() + ": it is already " + state);
        }
        return with(BudgetState.EXPIRED, spent, reserved, now);
    }

    /** Holds {@code amount}; the caller (SpendAuthorizer) has checked state and remaining. */
    Budget reserve(BigInteger amount, Instant now) {
        return with(state, spent, reserved.add(amount), now);
    }

    /** Turns a reservation into spend; reaching the cap exhausts an approved budget. */
    Budget commit(BigInteger amount, Instant now) {
        BigInteger newSpent = spent.add(amount);
        BudgetState next = state == BudgetState.APPROVED && newSpent.compareTo(request.cap()) >= 0 ? BudgetState.EXHAUSTED : state;
        return with(next, newSpent, reserved.subtract(amount), now);
    }

    /** Gives a reservation back: the transfer was never broadcast. */
    Budget release(BigInteger amount, Instant now) {
        return with(state, spent, reserved.subtract(amount), now);
    }

    private Budget with(BudgetState s, BigInteger newSpent, BigInteger newReserved, Instant now) {
        return new Budget(request, s, newSpent, newReserved, now);
    }

    private void requireState(Instant now, BudgetState required, String action) throws BudgetTransitionException {
        BudgetState current = stateAt(now);
        if (current != required) {
            throw new BudgetTransitionException("cannot " + action + " budget " + id() + ": it is " + current
                    + (current == BudgetState.EXPIRED ? " (file a new request)" : ""));
        }
    }
}
