package dev.magnetar.api;

import dev.magnetar.api.ApiMessages.AddMagnetRequest;
import dev.magnetar.api.ApiMessages.AddTorrentFileRequest;
import dev.magnetar.api.ApiMessages.Approval;
import dev.magnetar.api.ApiMessages.BoostRequest;
import dev.magnetar.api.ApiMessages.FilePriorityRequest;
import dev.magnetar.api.ApiMessages.RateLimitsRequest;
import dev.magnetar.api.ApiMessages.RemoveTorrentRequest;
import dev.magnetar.api.ApiMessages.SeedingGoalRequest;
import dev.magnetar.api.ApiMessages.SequentialRequest;
import dev.magnetar.api.ApiMessages.StartRequest;
import dev.magnetar.api.ApiMessages.TorrentList;
import dev.magnetar.api.ApiMessages.TorrentRemoved;
import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.Budget;
import dev.magnetar.approval.SpendPurpose;
import dev.magnetar.approval.SpendRequest;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.FilePriority;
import dev.magnetar.engine.RateLimiter;
import dev.magnetar.engine.RateLimits;
import dev.magnetar.engine.SeedingGoal;
import dev.magnetar.engine.TorrentControl;
import dev.magnetar.engine.TorrentDetail;
import dev.magnetar.engine.TorrentNotFoundException;
import dev.magnetar.engine.TorrentStatus;
import dev.magnetar.metainfo.DisplayText;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.TronAddress;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Handlers for {@code /api/v1/torrents...}: validate, call the engine, map the result. */
final class TorrentRoutes {

    /** v1 info-hash: 40 hex digits (SHA-1, BEP 3); v2: 64 (SHA-256, BEP 52). */
    private static final Pattern INFO_HASH = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    static final Duration DEFAULT_BOOST_VALIDITY = Duration.ofDays(1);
    static final Duration MAX_BOOST_VALIDITY = Duration.ofDays(30);
    /** Enough for any list a person types or a CLI passes on; each one is a dial. */
    static final int MAX_PEERS_PER_ADD = 200;
    /** An IPv4 dotted quad or a bracketed IPv6 literal, then a port: never a name to resolve. */
    private static final Pattern IP_LITERAL_PEER = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+(%\\w+)?\\]):\\d{1,5}");

    private final TorrentControl torrents;
    private final SettingsStore settings;
    private final ApprovalStore approvals;
    private final WalletService wallet;
    private final JsonBodyCache<List<TorrentStatus>> listBody = new JsonBodyCache<>(TorrentList::new);

    TorrentRoutes(TorrentControl torrents, SettingsStore settings, ApprovalStore approvals, WalletService wallet) {
        this.torrents = torrents;
        this.settings = settings;
        this.approvals = approvals;
        this.wallet = wallet;
    }

    Reply list(ApiCall call) throws Exception {
        return Reply.ok(listBody.encode(torrents.list()));
    }

    Reply addMagnet(ApiCall call) throws Exception {
        AddMagnetRequest req = call.body(AddMagnetRequest.class);
        if (req.uri() == null || !req.uri().regionMatches(true, 0, "magnet:?", 0, 8)) {
            throw new ApiException(ErrorCode.INVALID_TORRENT, "uri must be a magnet link starting with magnet:?");
        }
        return Reply.created(torrents.addMagnet(req.uri(), options(req.downloadDir(), req.paused(), req.sequential(), req.awaitChoice(), req.peers())));
    }

    Reply addTorrentFile(ApiCall call) throws Exception {
        AddTorrentFileRequest req = call.body(AddTorrentFileRequest.class);
        if (req.torrentBase64() == null || req.torrentBase64().isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_TORRENT, "torrentBase64 must hold the .torrent file, base64-encoded");
        }
        byte[] torrent;
        try {
            torrent = Base64.getMimeDecoder().decode(req.torrentBase64());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_TORRENT, "torrentBase64 is not valid base64: " + e.getMessage());
        }
        return Reply.created(torrents.addTorrentFile(torrent, options(req.downloadDir(), req.paused(), req.sequential(), req.awaitChoice(), req.peers())));
    }

    Reply detail(ApiCall call) throws Exception {
        String hash = infoHash(call);
        return Reply.ok(requireDetail(hash));
    }

    Reply pause(ApiCall call) throws Exception {
        call.body(ApiMessages.EmptyRequest.class);
        String hash = infoHash(call);
        torrents.pause(hash);
        return Reply.ok(requireDetail(hash).status());
    }

    Reply resume(ApiCall call) throws Exception {
        call.body(ApiMessages.EmptyRequest.class);
        String hash = infoHash(call);
        torrents.resume(hash);
        return Reply.ok(requireDetail(hash).status());
    }

    Reply recheck(ApiCall call) throws Exception {
        call.body(ApiMessages.EmptyRequest.class);
        String hash = infoHash(call);
        torrents.recheck(hash);
        return Reply.ok(requireDetail(hash).status());
    }

    Reply remove(ApiCall call) throws Exception {
        String hash = infoHash(call);
        boolean deleteData = Boolean.TRUE.equals(call.body(RemoveTorrentRequest.class).deleteData());
        torrents.remove(hash, deleteData);
        return Reply.ok(new TorrentRemoved(hash, deleteData));
    }

    Reply filePriority(ApiCall call) throws Exception {
        String hash = infoHash(call);
        int index;
        try {
            index = Integer.parseInt(call.param("fileIndex"));
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "file index must be a non-negative integer");
        }
        Integer priority = call.body(FilePriorityRequest.class).priority();
        if (priority == null || !FilePriority.isValid(priority)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, FilePriority.outOfRange(priority));
        }
        if (index < 0) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "file index must be a non-negative integer");
        }
        torrents.setFilePriority(hash, index, priority);
        return Reply.ok(requireDetail(hash));
    }

    Reply sequential(ApiCall call) throws Exception {
        String hash = infoHash(call);
        Boolean on = call.body(SequentialRequest.class).sequential();
        if (on == null) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "sequential must be true or false");
        }
        torrents.setSequential(hash, on);
        return Reply.ok(requireDetail(hash).status());
    }

    Reply limits(ApiCall call) throws Exception {
        String hash = infoHash(call);
        RateLimitsRequest req = call.body(RateLimitsRequest.class);
        Long down = req.downloadBytesPerSecond();
        Long up = req.uploadBytesPerSecond();
        if (down == null || up == null || !RateLimits.valid(down) || !RateLimits.valid(up)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "downloadBytesPerSecond and uploadBytesPerSecond are both required: bytes per"
                    + " second from 0 (no limit of its own) to " + RateLimiter.MAX_BYTES_PER_SECOND);
        }
        torrents.setRateLimits(hash, new RateLimits(down, up));
        return Reply.ok(requireDetail(hash));
    }

    /** Starts a torrent added with awaitChoice: the folder and the files the user chose in the add dialog. */
    Reply start(ApiCall call) throws Exception {
        String hash = infoHash(call);
        StartRequest req = call.body(StartRequest.class);
        if (req.downloadDir() == null || !Path.of(req.downloadDir()).isAbsolute()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "downloadDir must be the absolute path of an existing folder");
        }
        java.util.Set<Integer> skip = new java.util.TreeSet<>(req.skipFiles() == null ? java.util.List.of() : req.skipFiles());
        if (skip.stream().anyMatch(i -> i == null || i < 0)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "skipFiles holds file indexes (0 or more)");
        }
        TorrentDetail before = requireDetail(hash);
        long files = before.files().size();
        if (files > 0 && before.files().stream().allMatch(f -> skip.contains(f.index()))) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "every file is skipped: choose at least one file to download, or remove the torrent");
        }
        if (req.playFile() != null) {
            int play = req.playFile();
            if (play < 0 || play >= files || skip.contains(play)) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "playFile " + play + " is not one of the files to download (0 to "
                        + (files - 1) + ", not skipped)");
            }
            // Before the start: the first requests to the first peers are then for what the player reads first.
            var streaming = torrents.fileStreaming();
            if (streaming.isPresent()) {
                streaming.get().prepareStream(hash, play);
            }
        }
        torrents.startWithChoice(hash, req.downloadDir(), skip);
        return Reply.ok(requireDetail(hash));
    }

    Reply seedingGoal(ApiCall call) throws Exception {
        String hash = infoHash(call);
        SeedingGoalRequest req = call.body(SeedingGoalRequest.class);
        SeedingGoal goal;
        if (Boolean.TRUE.equals(req.useGlobal())) {
            if (req.ratioLimit() != null || req.seedingTimeLimitMinutes() != null) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "useGlobal: true takes no limits of its own; send one or the other");
            }
            goal = null;
        } else {
            try {
                goal = new SeedingGoal(req.ratioLimit(), req.seedingTimeLimitMinutes());
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, e.getMessage() + " (leave a limit out for none)");
            }
        }
        torrents.setSeedingGoal(hash, goal);
        return Reply.ok(requireDetail(hash));
    }

    /** Files a BOOST_TORRENT spend request; nothing can be spent until the user approves it. */
    Reply boost(ApiCall call) throws Exception {
        String hash = infoHash(call);
        BoostRequest req = call.body(BoostRequest.class);
        if (req.capBtt() == null || req.ratePerGiBBtt() == null) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "capBtt and ratePerGiBBtt are required (decimal BTT, e.g. \"10\" and \"0.5\")");
        }
        BigInteger cap = BttAmount.parseBtt(req.capBtt());
        BigInteger rate = BttAmount.parseBtt(req.ratePerGiBBtt());
        if (cap.signum() <= 0) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "capBtt must be more than 0");
        }
        Duration validity = req.expiresInSeconds() == null ? DEFAULT_BOOST_VALIDITY : Duration.ofSeconds(req.expiresInSeconds());
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_BOOST_VALIDITY) > 0) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "expiresInSeconds must be between 1 and " + MAX_BOOST_VALIDITY.toSeconds());
        }
        TorrentDetail detail = requireDetail(hash);
        // Refused now rather than approved and then idle: a boost that can buy nothing from the sellers connected.
        Optional<String> refusal = torrents.boostRefusal(hash, cap, rate);
        if (refusal.isPresent()) {
            throw new ApiException(ErrorCode.BOOST_CANNOT_BUY, refusal.get());
        }
        String contract = wallet.chain().network().bttContract().map(TronAddress::toBase58).orElseThrow(() ->
                new ApiException(ErrorCode.CHAIN_UNAVAILABLE, "network " + wallet.network() + " has no BTT contract configured; boosting is unavailable there"));
        // Shown in the approval window: the chain the budget is for, and the TRX its payments burn on top of the cap.
        long chainId = wallet.chain().chainId();
        SpendRequest.FeeEstimate fees = wallet.estimateBoostFees(cap);
        // Shown too: a cap that buys only part of what is left, even at the sellers' lowest ask. It is not refused
        // for that (the auto-bidder waits until the budget covers what is left, and boosts the end), but the user
        // should know before approving.
        TorrentStatus status = detail.status();
        SpendRequest.Coverage coverage = status.totalBytes() <= 0 ? null : torrents.lowestSellerAsk(hash)
                .map(ask -> SpendRequest.Coverage.of(cap, ask, Math.max(0, status.totalBytes() - status.verifiedBytes()))).orElse(null);
        Instant now = approvals.clock().instant();
        SpendRequest request = new SpendRequest(UUID.randomUUID().toString(), SpendPurpose.BOOST_TORRENT, hash, status.name(),
                req.originPage(), cap, rate, null, wallet.network(), contract, now, now.plus(validity), chainId, fees, coverage);
        Budget filed = approvals.file(request);
        return Reply.created(Approval.of(filed, now));
    }

    private TorrentDetail requireDetail(String hash) throws TorrentNotFoundException {
        return torrents.detail(hash).orElseThrow(() -> new TorrentNotFoundException(hash));
    }

    private AddOptions options(String downloadDir, Boolean paused, Boolean sequential, Boolean awaitChoice, List<String> peers)
            throws ApiException {
        String dir = downloadDir != null ? downloadDir : settings.get().downloadDir();
        if (!Path.of(dir).isAbsolute()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "downloadDir must be an absolute path");
        }
        return new AddOptions(dir, Boolean.TRUE.equals(paused), Boolean.TRUE.equals(sequential), Boolean.TRUE.equals(awaitChoice),
                peerAddresses(peers));
    }

    /**
     * The peers of an add request, every one checked before anything is added. IP literals only: a host
     * name would make this request thread wait on DNS, and a caller that has one can resolve it itself.
     */
    static List<InetSocketAddress> peerAddresses(List<String> peers) throws ApiException {
        if (peers == null) {
            return List.of();
        }
        if (peers.size() > MAX_PEERS_PER_ADD) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "at most " + MAX_PEERS_PER_ADD + " peers per add, not " + peers.size());
        }
        List<InetSocketAddress> addresses = new ArrayList<>(peers.size());
        for (int i = 0; i < peers.size(); i++) {
            String peer = peers.get(i);
            Optional<InetSocketAddress> a = peer == null || !IP_LITERAL_PEER.matcher(peer).matches() ? Optional.empty() : Engine.parsePeer(peer);
            if (a.isEmpty() || a.get().isUnresolved()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "peers[" + i + "] " + (peer == null ? "null"
                        : "\"" + DisplayText.of(peer, 100) + "\"") + " is not IP:PORT (e.g. 127.0.0.1:6881 or [::1]:6881)");
            }
            addresses.add(a.get());
        }
        return addresses;
    }

    private static String infoHash(ApiCall call) throws ApiException {
        String hash = call.param("infoHash").toLowerCase(Locale.ROOT);
        if (!INFO_HASH.matcher(hash).matches()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "info-hash must be 40 (v1) or 64 (v2) hex digits");
        }
        return hash;
    }
}
