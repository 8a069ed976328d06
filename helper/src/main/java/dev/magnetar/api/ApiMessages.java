package dev.magnetar.api;

import dev.magnetar.approval.Budget;
import dev.magnetar.approval.SpendRequest;
import dev.magnetar.engine.TorrentStatus;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.PaymentEntry;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * Request and response bodies of the HTTP API, one record each, named as in protocol-spec/http-api.yaml.
 * Amounts are strings: decimal BTT for people and exact base units for programs; never JSON numbers,
 * which JavaScript would round.
 */
public final class ApiMessages {

    private ApiMessages() {}

    /** Version of the API and of the native-messaging protocol; bumped on incompatible changes. */
    public static final int API_VERSION = 1;
    public static final int PROTOCOL_VERSION = 1;

    // --- requests ---

    /** @param peers "host:port" of peers to connect to at once (IP literals), as the CLI's --peer; null = none */
    public record AddMagnetRequest(String uri, String downloadDir, Boolean paused, Boolean sequential, Boolean awaitChoice,
            List<String> peers) {}

    /** A .torrent upload as base64 inside JSON, so that every state change stays a JSON POST. */
    public record AddTorrentFileRequest(String torrentBase64, String downloadDir, Boolean paused, Boolean sequential, Boolean awaitChoice,
            List<String> peers) {}

    /** The user's choice for a torrent added with awaitChoice: its folder, the files it skips, and the file Play was pressed on, if any. */
    public record StartRequest(String downloadDir, java.util.List<Integer> skipFiles, Integer playFile) {}

    public record RemoveTorrentRequest(Boolean deleteData) {}

    public record FilePriorityRequest(Integer priority) {}

    public record SequentialRequest(Boolean sequential) {}

    /** A torrent's own limits in bytes per second; 0 = none of its own (an engine-wide limit still applies). */
    public record RateLimitsRequest(Long downloadBytesPerSecond, Long uploadBytesPerSecond) {}

    /**
     * A torrent's own seeding goal: {@code useGlobal} true follows the settings' goal; otherwise each
     * limit given (more than 0) applies and a missing or null one is no limit.
     */
    public record SeedingGoalRequest(Boolean useGlobal, Double ratioLimit, Long seedingTimeLimitMinutes) {}

    /**
     * @param expiresInSeconds how long the budget may be spent from (default a day, at most 30 days)
     */
    public record BoostRequest(String capBtt, String ratePerGiBBtt, Long expiresInSeconds, String originPage) {}

    /** The wallet password; a char array so it can be wiped after use. */
    public record PasswordRequest(char[] password) {}

    /** Exactly one of recoveryPhrase and privateKeyHex. */
    public record ImportWalletRequest(String recoveryPhrase, String privateKeyHex, char[] password) {}

    /** A fresh phrase, stored nowhere until the user confirms it and imports it. */
    public record RecoveryPhrase(String recoveryPhrase) {}

    public record EmptyRequest() {}

    // --- responses ---

    public record Health(String status, ChainState chain) {}

    public record VersionInfo(String version, int apiVersion, int protocolVersion) {}

    public record TorrentList(List<TorrentStatus> torrents) {}

    public record TorrentRemoved(String infoHash, boolean dataDeleted) {}

    public record ApprovalList(List<Approval> approvals) {}

    public record Ledger(List<LedgerEntry> entries) {}

    public record ShuttingDown(String status) {}

    /** A spend request and its budget, with everything the approval pop-up shows. */
    public record Approval(String id, String purpose, String state, String infoHash, String torrentName, String originPage,
            String network, String chainId, String tokenContract, String recipient, String capBtt, String capBaseUnits, String ratePerGiBBtt,
            String ratePerGiBBaseUnits, String spentBtt, String spentBaseUnits, String reservedBaseUnits, String remainingBtt,
            String remainingBaseUnits, String createdAt, String expiresAt, String updatedAt, String feePerPaymentTrx,
            String feePerPaymentSun, Long feePayments, String feeForBudgetTrx, String feeForBudgetSun, String lowestAskPerGiBBtt,
            String lowestAskPerGiBBaseUnits, Long capBuysBytes, Long bytesLeft) {

        public static Approval of(Budget b, Instant now) {
            SpendRequest r = b.request();
            return new Approval(r.id(), r.purpose().name(), b.stateAt(now).name(), r.infoHash(), r.torrentName(), r.originPage(),
                    r.networkId(), r.chainId() == null ? null : r.chainId().toString(), r.tokenContract(), r.recipient(), btt(r.cap()), r.cap().toString(),
                    r.ratePerGiB() == null ? null : btt(r.ratePerGiB()), r.ratePerGiB() == null ? null : r.ratePerGiB().toString(),
                    btt(b.spent()), b.spent().toString(), b.reserved().toString(), btt(b.remaining()), b.remaining().toString(),
                    r.createdAt().toString(), r.expiresAt().toString(), b.updatedAt() == null ? null : b.updatedAt().toString(),
                    r.fees() == null ? null : trx(r.fees().perPaymentSun()), r.fees() == null ? null : Long.toString(r.fees().perPaymentSun()),
                    r.fees() == null ? null : r.fees().payments(),
                    r.fees() == null ? null : trx(r.fees().forBudgetSun()), r.fees() == null ? null : Long.toString(r.fees().forBudgetSun()),
                    r.coverage() == null ? null : btt(r.coverage().lowestAskPerGiB()),
                    r.coverage() == null ? null : r.coverage().lowestAskPerGiB().toString(),
                    r.coverage() == null ? null : r.coverage().capBuysBytes(), r.coverage() == null ? null : r.coverage().bytesLeft());
        }
    }

    /** One payment; the signed transaction bytes and reservation ids stay inside the helper. */
    public record LedgerEntry(String paymentId, String direction, String network, String txid, String counterparty, String torrent,
            String amountBtt, String amountBaseUnits, String status, long blockNumber, long feeSun, String failure, String updatedAt) {

        public static LedgerEntry of(PaymentEntry e) {
            return new LedgerEntry(e.paymentId(), e.direction().name(), e.network(), e.txid(), e.counterparty(), e.torrent(),
                    btt(e.amountBaseUnits()), e.amountBaseUnits().toString(), e.status().name(), e.blockNumber(), e.feeSun(), e.failure(),
                    Instant.ofEpochMilli(e.updatedAtMillis()).toString());
        }
    }

    static String trx(long sun) {
        return BttAmount.format(BigInteger.valueOf(sun), BttAmount.TRX_DECIMALS);
    }

    static String btt(BigInteger baseUnits) {
        return BttAmount.formatBtt(baseUnits);
    }
}
