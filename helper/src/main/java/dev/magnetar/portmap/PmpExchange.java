package dev.magnetar.portmap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * One request and its reply over UDP with the gateway's port 5351, shared by NAT-PMP and PCP. The
 * socket is connected to the gateway, so the kernel drops datagrams from anyone else. RFC 6886 §3.1
 * (and RFC 6887 §8.1.1 in spirit) resends after 250 ms, doubling each time; we give up after
 * {@code tries} sends, far sooner than the RFC's 64 s, because UPnP is still to try.
 */
final class PmpExchange {

    static final Duration FIRST_WAIT = Duration.ofMillis(250);
    /** PCP replies are at most 1100 bytes (RFC 6887 §7). */
    private static final int MAX_REPLY_BYTES = 1100;

    private final Gateway gateway;
    private final int port;
    private final int tries;

    PmpExchange(Gateway gateway, int port, int tries) {
        this.gateway = gateway;
        this.port = port;
        this.tries = tries;
    }

    /** The gateway's reply, or {@link SocketTimeoutException} when it never answered. */
    byte[] exchange(byte[] request) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(gateway.localAddress(), 0))) {
            socket.connect(new InetSocketAddress(gateway.address(), port));
            long waitMillis = FIRST_WAIT.toMillis();
            byte[] buf = new byte[MAX_REPLY_BYTES];
            for (int i = 0; i < tries; i++, waitMillis *= 2) {
                socket.send(new DatagramPacket(request, request.length));
                socket.setSoTimeout((int) waitMillis);
                try {
                    DatagramPacket reply = new DatagramPacket(buf, buf.length);
                    socket.receive(reply);
                    return Arrays.copyOf(reply.getData(), reply.getLength());
                } catch (SocketTimeoutException e) {
                    // resend, waiting twice as long
                }
            }
            throw new SocketTimeoutException("the gateway " + gateway.address().getHostAddress() + " did not answer on UDP " + port);
        }
    }
}
