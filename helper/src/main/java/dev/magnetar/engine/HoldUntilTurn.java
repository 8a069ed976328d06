package dev.magnetar.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in a dialled connection's pipeline while its {@link DialRace} has not given it its turn: keeps
 * channelActive from the handlers behind it (so MSE and our handshake send nothing yet), and keeps what
 * the peer sends meanwhile too. {@link #release} lets the handlers see the channel become active, so our
 * side of the handshake goes out, and only then what the peer sent.
 *
 * <p>Why the peer's bytes wait as well: a peer normally answers a dial only after our handshake, but in a
 * uTP simultaneous open (BEP 55) both ends dialled, so the peer sends its handshake as soon as it is
 * connected, and it can arrive in the same read as the answer to our SYN, before our turn comes. Passed
 * on then, it completes our outgoing handshake without ours ever being sent, and the peer reads our first
 * message as a broken handshake and hangs up.
 *
 * <p>Bounded: the peer may send at most {@link #MAX_HELD_BYTES} (an MSE key exchange and a handshake
 * take under 700) before its turn, or the connection is closed.
 */
final class HoldUntilTurn extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HoldUntilTurn.class);

    static final int MAX_HELD_BYTES = 16 * 1024;

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private long heldBytes;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // held: release fires it
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
        if (msg instanceof ByteBuf b) {
            heldBytes += b.readableBytes();
        }
        if (heldBytes > MAX_HELD_BYTES) {
            log.debug("{}: the peer sent {} bytes before our turn to handshake; closing", ctx.channel().remoteAddress(), heldBytes);
            drop();
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing was passed on
    }

    /** The connection's turn: the handlers see it become active, then what the peer sent meanwhile. Call on its loop. */
    void release(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        boolean any = !held.isEmpty();
        while (!held.isEmpty()) {
            ctx.fireChannelRead(held.poll());
        }
        heldBytes = 0;
        if (any) {
            ctx.fireChannelReadComplete();
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        drop(); // closed before its turn
    }

    private void drop() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
        heldBytes = 0;
    }
}
