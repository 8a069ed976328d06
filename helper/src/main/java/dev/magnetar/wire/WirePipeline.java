package dev.magnetar.wire;

import dev.magnetar.metainfo.InfoHash;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;

/**
 * Sets up a peer connection's pipeline: the handshake codec first and, once both handshakes are
 * exchanged, the peer message codec with keep-alive and inactivity timers. Add the engine's handler
 * after calling an {@code install} method; it then receives, in order, a {@link PeerHandshakeCompleted}
 * user event and the decoded {@link PeerMessage}s, and may write {@link PeerMessage}s (or buffers
 * already framed by {@link RequestBatch}, which pass the message encoder untouched). Errors reach it
 * as {@link PeerProtocolException} or {@link PeerTimeoutException} in {@code exceptionCaught}; the
 * wire handlers have already closed the channel by then.
 *
 * <pre>
 * before the handshake: handshake-decoder, handshake-encoder, message-encoder, handshake, [engine]
 * after:                idle, message-decoder, message-encoder, keep-alive, [engine]
 * </pre>
 */
public final class WirePipeline {

    public static final String HANDSHAKE_DECODER = "wire-handshake-decoder";
    public static final String HANDSHAKE_ENCODER = "wire-handshake-encoder";
    public static final String HANDSHAKE = "wire-handshake";
    public static final String MESSAGE_DECODER = "wire-message-decoder";
    public static final String MESSAGE_ENCODER = "wire-message-encoder";
    public static final String IDLE = "wire-idle";
    public static final String KEEP_ALIVE = "wire-keep-alive";
    public static final String MSE = "wire-mse";
    public static final String RC4 = "wire-rc4";

    /**
     * Write-buffer watermarks for peer channels: writability turns off above 4 MiB queued and back on
     * below 1 MiB. Netty's default (32/64 KiB) is under a second of data for a fast peer — a
     * 100 MiB/s loopback peer drains 64 KiB in well under a millisecond — so a seeder that stops
     * reading blocks from disk whenever the channel is unwritable would stall constantly (DESIGN.md:
     * "Send buffers sized from the measured rate"). 4 MiB is 256 blocks, about the deepest request
     * queue a peer keeps (reqq 250), so one peer's queue fits, while many peers together stay bounded.
     * Applied by the install methods; the engine may raise it per channel from the measured rate.
     */
    public static final WriteBufferWaterMark RECOMMENDED_WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

    private WirePipeline() {}

    /** For a connection we open: our handshake is sent as soon as the channel is active. */
    public static void installOutgoing(ChannelPipeline pipeline, WireOptions options, Handshake ours) {
        installOutgoing(pipeline, options, ours, (InfoHash) null);
    }

    /**
     * Like {@link #installOutgoing(ChannelPipeline, WireOptions, Handshake)}, for a hybrid dialled by its v1 hash
     * with BEP 52's bit: a peer may answer with {@code upgrade}, the v2 swarm's hash (see {@link HandshakeHandler}).
     */
    public static void installOutgoing(ChannelPipeline pipeline, WireOptions options, Handshake ours, InfoHash upgrade) {
        install(pipeline, HandshakeHandler.outgoing(options, ours, upgrade));
    }

    /** Like {@link #installOutgoing(ChannelPipeline, WireOptions, Handshake)}, behind an encrypted (MSE) handshake. */
    public static void installOutgoing(ChannelPipeline pipeline, WireOptions options, Handshake ours,
                                       MseInitiator encryption) {
        installOutgoing(pipeline, options, ours, null, encryption);
    }

    /** Both of the above. */
    public static void installOutgoing(ChannelPipeline pipeline, WireOptions options, Handshake ours, InfoHash upgrade,
                                       MseInitiator encryption) {
        installOutgoing(pipeline, options, ours, upgrade);
        pipeline.addFirst(MSE, encryption);
    }

    /** For a connection we accepted: we answer once the peer's handshake tells us the torrent. */
    public static void installIncoming(ChannelPipeline pipeline, WireOptions options, HandshakeListener listener) {
        install(pipeline, HandshakeHandler.incoming(options, listener));
    }

    /**
     * Like {@link #installIncoming(ChannelPipeline, WireOptions, HandshakeListener)}, also answering a
     * peer that opens with an encrypted handshake ({@link MseResponder}, first in the pipeline; it
     * leaves once the handshake is through, or at once for a plain one).
     */
    public static void installIncoming(ChannelPipeline pipeline, WireOptions options, HandshakeListener listener,
                                       MseResponder encryption) {
        installIncoming(pipeline, options, listener);
        pipeline.addFirst(MSE, encryption);
    }

    private static void install(ChannelPipeline pipeline, HandshakeHandler handshake) {
        pipeline.channel().config().setWriteBufferWaterMark(RECOMMENDED_WATER_MARK);
        pipeline.addLast(HANDSHAKE_DECODER, new HandshakeDecoder());
        pipeline.addLast(HANDSHAKE_ENCODER, HandshakeEncoder.INSTANCE);
        pipeline.addLast(MESSAGE_ENCODER, PeerMessageEncoder.INSTANCE);
        pipeline.addLast(HANDSHAKE, handshake);
    }
}
