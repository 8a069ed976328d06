package dev.magnetar.api;

import static dev.magnetar.api.Route.delete;
import static dev.magnetar.api.Route.get;
import static dev.magnetar.api.Route.post;

import java.util.List;

/**
 * The whole HTTP API on one page, in the order of protocol-spec/http-api.yaml. Every route needs the
 * bearer token (see {@link SecurityHandler}); GET routes only read. The capability URLs the stream
 * routes hand out are served beside this table, by {@link StreamContentHandler}.
 */
public final class ApiRoutes {

    /** A .torrent upload arrives base64-encoded in JSON: 10 MiB of body holds a 7.5 MiB torrent. */
    static final long MAX_TORRENT_UPLOAD_BODY_BYTES = 10L << 20;

    private ApiRoutes() {}

    static List<Route> table(ApiServices s, StreamRoutes streams) {
        SystemRoutes system = new SystemRoutes(s.version(), s.settings(), s.shutdown(), s.network(), s.chain());
        TorrentRoutes torrents = new TorrentRoutes(s.torrents(), s.settings(), s.approvals(), s.wallet());
        WalletRoutes wallet = new WalletRoutes(s.wallet());
        ApprovalRoutes approvals = new ApprovalRoutes(s.approvals(), s.wallet());
        List<Route> table = List.of(
                get("/api/v1/health", system::health),
                get("/api/v1/version", system::version),
                post("/api/v1/shutdown", system::shutdown),

                get("/api/v1/torrents", torrents::list),
                post("/api/v1/torrents/magnet", torrents::addMagnet),
                post("/api/v1/torrents/file", MAX_TORRENT_UPLOAD_BODY_BYTES, torrents::addTorrentFile),
                get("/api/v1/torrents/{infoHash}", torrents::detail),
                delete("/api/v1/torrents/{infoHash}", torrents::remove),
                post("/api/v1/torrents/{infoHash}/pause", torrents::pause),
                post("/api/v1/torrents/{infoHash}/resume", torrents::resume),
                post("/api/v1/torrents/{infoHash}/recheck", torrents::recheck),
                post("/api/v1/torrents/{infoHash}/start", torrents::start),
                post("/api/v1/torrents/{infoHash}/sequential", torrents::sequential),
                post("/api/v1/torrents/{infoHash}/limits", torrents::limits),
                post("/api/v1/torrents/{infoHash}/files/{fileIndex}/priority", torrents::filePriority),
                post("/api/v1/torrents/{infoHash}/seeding-goal", torrents::seedingGoal),
                post("/api/v1/torrents/{infoHash}/boost", torrents::boost),
                post("/api/v1/torrents/{infoHash}/files/{fileIndex}/stream", streams::grant),
                post("/api/v1/torrents/{infoHash}/files/{fileIndex}/open", streams::open),

                get("/api/v1/streams", streams::list),
                get("/api/v1/streams/{id}", streams::status),
                delete("/api/v1/streams/{id}", streams::revoke),

                get("/api/v1/network", system::network),
                get("/api/v1/settings", system::settings),
                post("/api/v1/settings", system::updateSettings),

                get("/api/v1/wallet", wallet::status),
                post("/api/v1/wallet/recovery-phrase", wallet::recoveryPhrase),
                post("/api/v1/wallet/import", wallet::importWallet),
                post("/api/v1/wallet/faucet", wallet::faucet),
                post("/api/v1/wallet/unlock", wallet::unlock),
                post("/api/v1/wallet/lock", wallet::lock),
                get("/api/v1/wallet/balance", wallet::balance),
                get("/api/v1/wallet/ledger", wallet::ledger),

                get("/api/v1/approvals", approvals::list),
                post("/api/v1/approvals/{id}/approve", approvals::approve),
                post("/api/v1/approvals/{id}/reject", approvals::reject),
                post("/api/v1/approvals/{id}/revoke", approvals::revoke),

                // Reached only without a WebSocket upgrade (the upgrade is taken before routing).
                get(EventSocket.PATH, system::eventsNeedUpgrade));
        return s.startup().guardAll(table, ApiRoutes::stageNeeded);
    }

    /**
     * What a route must wait for while the daemon still starts: everything about torrents and streams
     * needs the last session back (a torrent about to be restored must not be a 404, an add must not race
     * its restore), the network status needs the engine's port; the rest answers at once.
     */
    static StartupGate.Stage stageNeeded(Route route) {
        String path = route.path().template();
        if (path.startsWith("/api/v1/torrents") || path.startsWith("/api/v1/streams")) {
            return StartupGate.Stage.SESSION;
        }
        return path.equals("/api/v1/network") ? StartupGate.Stage.ENGINE : StartupGate.Stage.NONE;
    }
}
