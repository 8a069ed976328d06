package dev.magnetar.api;

import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.engine.TorrentControl;
import dev.magnetar.util.DesktopOpener;
import java.util.function.Supplier;

/**
 * What the API serves, handed in by the daemon.
 *
 * @param shutdown asks the daemon to stop soon; must return at once (the reply is still to be sent)
 * @param opener   opens a file or stream URL with the desktop's default application (tests pass a recorder)
 * @param network  our peer port and its port mapping, read at each request
 * @param chain    where the TRON connection is, for the health route
 * @param startup  how far the daemon's start has got: routes that need the engine or the restored session wait for it
 */
public record ApiServices(String version, TorrentControl torrents, ApprovalStore approvals, WalletService wallet, SettingsStore settings,
        Runnable shutdown, FileOpener opener, Supplier<NetworkStatus> network, Supplier<ChainState> chain, StartupGate startup) {

    public ApiServices(String version, TorrentControl torrents, ApprovalStore approvals, WalletService wallet, SettingsStore settings,
            Runnable shutdown, FileOpener opener, Supplier<NetworkStatus> network, Supplier<ChainState> chain) {
        this(version, torrents, approvals, wallet, settings, shutdown, opener, network, chain, StartupGate.passed());
    }

    public ApiServices(String version, TorrentControl torrents, ApprovalStore approvals, WalletService wallet, SettingsStore settings,
            Runnable shutdown, FileOpener opener, Supplier<NetworkStatus> network) {
        this(version, torrents, approvals, wallet, settings, shutdown, opener, network, () -> ChainState.OFF);
    }

    public ApiServices(String version, TorrentControl torrents, ApprovalStore approvals, WalletService wallet, SettingsStore settings,
            Runnable shutdown, FileOpener opener) {
        this(version, torrents, approvals, wallet, settings, shutdown, opener, NetworkStatus::none);
    }

    public ApiServices(String version, TorrentControl torrents, ApprovalStore approvals, WalletService wallet, SettingsStore settings,
            Runnable shutdown) {
        this(version, torrents, approvals, wallet, settings, shutdown, DesktopOpener.forThisSystem()::open);
    }
}
