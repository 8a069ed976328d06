package dev.magnetar.wire;


/**
 * One BEP 10 extension protocol of one torrent, as the engine's extension registry sees it. The engine
 * assigns it a local id, puts {@code name() → local id} into the {@code m} of our extension handshake
 * (when {@link #enabled()}), and routes to it:
 *
 * <ul>
 *   <li>{@link #peerHandshake} for every extension handshake a peer sends (the first and any later
 *       one, BEP 10 allows re-sending), after updating what {@link ExtensionPeer#remoteId} returns;
 *   <li>{@link #message} for every extended message arriving under our local id for {@link #name()};
 *   <li>{@link #peerGone} when the connection closes;
 *   <li>{@link #tick} about once a second (timeouts, periodic messages).
 * </ul>
 *
 * All methods are thread-safe and never block, so they may be called from any event loop.
 */
public interface ExtensionHandler {

    /** The extension's name in {@code m}, e.g. "ut_metadata" or "ut_pex". */
    String name();

    /** Whether to offer this extension in our handshake at all (e.g. no PEX for private torrents). */
    default boolean enabled() {
        return true;
    }

    /** Adds this extension's own top-level keys to our extension handshake (e.g. metadata_size). */
    default void contributeTo(ExtensionHandshake.Builder ours) {}

    void peerHandshake(ExtensionPeer peer, ExtensionHandshake theirs);

    void message(ExtensionPeer peer, byte[] payload);

    void peerGone(ExtensionPeer peer);

    default void tick() {}
}
