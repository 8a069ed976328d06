package dev.magnetar.speed;

import dev.magnetar.approval.ApprovalException;
import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.Budget;
import dev.magnetar.approval.BudgetState;
import dev.magnetar.approval.SpendPurpose;
import dev.magnetar.approval.SpendRequest;
import dev.magnetar.metainfo.InfoHash;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payer's view of the user's approval for boosting one torrent (issue 7: only bid with an
 * approved budget; when it runs out, stop and ask). Reads the {@link ApprovalStore}; the store and the
 * wallet's spend gate remain what actually enforce spending when a transfer is signed.
 */
public final class BoostBudget {

    private static final Logger LOG = LoggerFactory.getLogger(BoostBudget.class);

    private final ApprovalStore store;
    private final InfoHash infoHash;
    private final SpeedNetwork network;

    public BoostBudget(ApprovalStore store, InfoHash infoHash, SpeedNetwork network) {
        this.store = Objects.requireNonNull(store, "store");
        this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
        this.network = Objects.requireNonNull(network, "network");
    }

    /** Approved, unexpired budgets for this torrent on this network and token, most remaining first. */
    public Optional<Budget> approved() {
        Instant now = store.clock().instant();
        return boostBudgets().stream()
                .filter(b -> b.stateAt(now) == BudgetState.APPROVED && b.remaining().signum() > 0)
                .max(Comparator.comparing(Budget::remaining));
    }

    /** What may still be owed on top of {@code unpaidDebt} (debt already acknowledged but not yet paid). */
    public BigInteger capacity(BigInteger unpaidDebt) {
        return approved().map(b -> b.remaining().subtract(unpaidDebt).max(BigInteger.ZERO)).orElse(BigInteger.ZERO);
    }

    /** The user's approved bid rate; zero without an approved budget. */
    public BigInteger maxRatePerGiB() {
        return approved().map(b -> b.request().ratePerGiB() == null ? BigInteger.ZERO : b.request().ratePerGiB()).orElse(BigInteger.ZERO);
    }

    /**
     * Files a new spend request for this torrent, modelled on the last one (same cap, rate and
     * lifetime), unless one is already waiting for the user. Returns the request filed, if any.
     */
    public synchronized Optional<Budget> requestMore() throws ApprovalException {
        List<Budget> mine = boostBudgets();
        Instant now = store.clock().instant();
        if (mine.isEmpty() || mine.stream().anyMatch(b -> b.stateAt(now) == BudgetState.PENDING)) {
            return Optional.empty();
        }
        SpendRequest last = mine.get(mine.size() - 1).request();
        Duration lifetime = Duration.between(last.createdAt(), last.expiresAt());
        SpendRequest more = new SpendRequest(unusedId(infoHash.hex() + "-more-", mine.size()), SpendPurpose.BOOST_TORRENT, infoHash.hex(),
                last.torrentName(), last.originPage(), last.cap(), last.ratePerGiB(), null, network.name(), network.token().toBase58(),
                now, now.plus(lifetime));
        LOG.info("boost budget for {} is used up; asking the user for {} more", infoHash, more.cap());
        return Optional.of(store.file(more));
    }

    /**
     * The first {@code prefix + n} from {@code n} on that names no request: counting this torrent's requests
     * is not enough, since the store forgets old decided ones and a count can come back to a number in use.
     */
    private String unusedId(String prefix, int n) {
        while (store.find(prefix + n).isPresent()) {
            n++;
        }
        return prefix + n;
    }

    private List<Budget> boostBudgets() {
        String token = network.token().toBase58();
        return store.budgets().stream()
                .filter(b -> b.request().purpose() == SpendPurpose.BOOST_TORRENT && infoHash.hex().equals(b.request().infoHash())
                        && network.name().equals(b.request().networkId()) && token.equals(b.request().tokenContract()))
                .toList();
    }
}
