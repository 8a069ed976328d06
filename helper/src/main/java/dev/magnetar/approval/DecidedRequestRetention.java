package dev.magnetar.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How long a decided spend request (rejected, expired, revoked, replaced, used up) is kept. The helper
 * runs for weeks and a boost can be filed and decided many times a day; kept for ever, every decision
 * would stay in memory, in the approvals file (rewritten in full on every change) and in every
 * WebSocket snapshot.
 *
 * <p>What a user needs a decided request for is the Budgets page: "what did I approve or turn down
 * lately, and what did it spend". Thirty days answers that for anyone who looks at it now and then;
 * the newest hundred bound it for someone who boosts all day. Nothing about money is lost by
 * forgetting one: every payment stays in the wallet's payment ledger, which keeps its own history.
 * A request is never forgotten while it is still live (pending or approved) or while a payment is
 * reserved against it, since committing or releasing that payment needs the budget.
 */
public record DecidedRequestRetention(Duration maxAge, int maxKept) {

    /** The helper's policy (see the class comment for why). */
    public static final DecidedRequestRetention DEFAULT = new DecidedRequestRetention(Duration.ofDays(30), 100);

    public DecidedRequestRetention {
        if (maxAge.isNegative() || maxKept < 0) {
            throw new IllegalArgumentException("retention must keep a non-negative age and count: " + maxAge + ", " + maxKept);
        }
    }

    /**
     * The ids of the requests to forget as of {@code now}: decided ones with nothing reserved that are
     * older than {@link #maxAge} (by their last change) or beyond the newest {@link #maxKept}.
     *
     * @param reservedBudgetIds budgets that outstanding reservations point at (kept whatever their age)
     */
    public Set<String> toForget(Collection<Budget> budgets, Set<String> reservedBudgetIds, Instant now) {
        List<Budget> decided = budgets.stream()
                .filter(b -> b.state().isFinal() && b.reserved().signum() == 0 && !reservedBudgetIds.contains(b.id()))
                .sorted(Comparator.comparing(Budget::updatedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .toList();
        Instant oldestKept = now.minus(maxAge);
        Set<String> forget = new HashSet<>();
        for (int i = 0; i < decided.size(); i++) {
            Budget b = decided.get(i);
            if (i >= maxKept || b.updatedAt() == null || b.updatedAt().isBefore(oldestKept)) {
                forget.add(b.id());
            }
        }
        return forget;
    }
}
