package dev.magnetar.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bad link in user space, on 127.0.0.1: {@code tc netem} is not available on this machine kind, so
 * tests and {@code bench/utp} put this relay between two peers. Each direction is a {@link Bottleneck}:
 * a FIFO queue drained at a fixed rate, a one-way delay after it, and random loss for datagrams. UDP
 * (one client, one target: a uTP connection) and TCP connections relayed by the same instance share
 * the bottleneck of each direction, as flows share a home uplink — which is what LEDBAT reacts to:
 * the queue a TCP flow builds shows up as one-way delay in uTP's timestamps.
 *
 * <p>Also a program: {@code java BadLinkRelay.java --udp HOST:PORT [--tcp HOST:PORT] [--delay-ms 20]
 * [--loss 0.01] [--rate BYTES_PER_S] [--queue BYTES]} prints {@code UDP <port>} (and {@code TCP <port>}),
 * then relays until its standard input closes; it uses the JDK only so the source runs as it is.
 *
 * @see Profile
 */
public final class BadLinkRelay implements AutoCloseable {

    /**
     * @param oneWayDelay added to each direction after the queue (RTT is twice this)
     * @param lossRate fraction of datagrams dropped at random in each direction (TCP bytes are never lost)
     * @param bytesPerSecond each direction's rate; 0 for no bottleneck (delay and loss only)
     * @param queueBytes what may wait in a direction's queue: a datagram beyond it is dropped, a TCP
     *     reader waits (so its sender feels back-pressure, as from a full router buffer)
     * @param seed for the loss draws, so a run can be repeated
     */
    public record Profile(Duration oneWayDelay, double lossRate, long bytesPerSecond, long queueBytes, long seed) {

        /** 40 ms RTT and 1 % loss each way, no rate limit. */
        public static Profile lossy() {
            return new Profile(Duration.ofMillis(20), 0.01, 0, 4 << 20, 1);
        }
    }

    /** One direction: a rate-limited FIFO queue, then a fixed delay. */
    private static final class Bottleneck {
        private final Profile profile;
        private final ScheduledExecutorService deliveries;
        private final Random random;
        private long lastDepartureNanos;
        private long queuedBytes;
        /** Datagrams offered to this direction, and how many of them it dropped: a bench compares them per direction. */
        private long offeredDatagrams;
        private long droppedDatagrams;

        Bottleneck(Profile profile, String name, long seed) {
            this.profile = profile;
            this.random = new Random(seed);
            this.deliveries = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bad-link-" + name);
                t.setDaemon(true);
                return t;
            });
        }

        /** A datagram: dropped at random or when the queue is full, else delivered after the queue and the delay. */
        synchronized boolean offerDatagram(int bytes, Runnable deliver) {
            offeredDatagrams++;
            if (random.nextDouble() < profile.lossRate() || queuedBytes + bytes > profile.queueBytes()) {
                droppedDatagrams++;
                return false;
            }
            enqueue(bytes, deliver);
            return true;
        }

        /** TCP bytes: waits while the queue is full, then queues them. */
        synchronized void putStream(int bytes, Runnable deliver) throws InterruptedException {
            while (queuedBytes > 0 && queuedBytes + bytes > profile.queueBytes()) {
                wait();
            }
            enqueue(bytes, deliver);
        }

        private void enqueue(int bytes, Runnable deliver) {
            long now = System.nanoTime();
            long serialise = profile.bytesPerSecond() == 0 ? 0 : bytes * 1_000_000_000L / profile.bytesPerSecond();
            long departure = Math.max(now, lastDepartureNanos) + serialise;
            lastDepartureNanos = departure;
            queuedBytes += bytes;
            deliveries.schedule(() -> left(bytes), departure - now, TimeUnit.NANOSECONDS);
            deliveries.schedule(deliver, departure - now + profile.oneWayDelay().toNanos(), TimeUnit.NANOSECONDS);
        }

        private synchronized void left(int bytes) {
            queuedBytes -= bytes;
            notifyAll();
        }

        synchronized String datagramCounts() {
            return offeredDatagrams + " (dropped " + droppedDatagrams + ")";
        }

        void close() {
            deliveries.shutdownNow();
        }
    }

    private final Bottleneck toTarget;
    private final Bottleneck toClient;
    private final List<AutoCloseable> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedDatagrams = new AtomicLong();
    private final AtomicLong relayedDatagrams = new AtomicLong();
    private volatile boolean open = true;

    private BadLinkRelay(Profile profile) {
        this.toTarget = new Bottleneck(profile, "up", profile.seed());
        this.toClient = new Bottleneck(profile, "down", profile.seed() + 1);
    }

    public static BadLinkRelay start(Profile profile) {
        return new BadLinkRelay(profile);
    }

    /**
     * Relays UDP to {@code target}: datagrams to the returned address go to the target, and the
     * target's answers go back to whoever sent last (one client, as one uTP connection needs).
     */
    public InetSocketAddress relayUdp(InetSocketAddress target) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(4 << 20);
        sockets.add(socket);
        Thread reader = new Thread(() -> relayDatagrams(socket, target), "bad-link-udp");
        reader.setDaemon(true);
        reader.start();
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void relayDatagrams(DatagramSocket socket, InetSocketAddress target) {
        byte[] buf = new byte[65_536];
        SocketAddress client = null;
        while (open) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
            } catch (IOException e) {
                return; // closed
            }
            byte[] data = Arrays.copyOf(in.getData(), in.getLength());
            boolean fromTarget = in.getSocketAddress().equals(target);
            if (!fromTarget) {
                client = in.getSocketAddress();
            }
            SocketAddress to = fromTarget ? client : target;
            if (to == null) {
                continue;
            }
            Runnable deliver = () -> send(socket, data, to);
            if ((fromTarget ? toClient : toTarget).offerDatagram(data.length, deliver)) {
                relayedDatagrams.incrementAndGet();
            } else {
                droppedDatagrams.incrementAndGet();
            }
        }
    }

    private static void send(DatagramSocket socket, byte[] data, SocketAddress to) {
        try {
            socket.send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            // the relay is closing; a lost datagram is what this link does anyway
        }
    }

    /** Relays TCP connections to {@code target} through the same bottlenecks as the UDP traffic. */
    public InetSocketAddress relayTcp(InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        sockets.add(server);
        Thread acceptor = new Thread(() -> {
            while (open) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(target.getAddress(), target.getPort());
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream, toTarget);
                    pump(upstream, client, toClient);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "bad-link-tcp");
        acceptor.setDaemon(true);
        acceptor.start();
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void pump(Socket from, Socket to, Bottleneck link) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    byte[] chunk = Arrays.copyOf(buf, n);
                    link.putStream(n, () -> {
                        try {
                            out.write(chunk);
                        } catch (IOException e) {
                            // the other side went away; its reader ends the pump
                        }
                    });
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
        }, "bad-link-tcp-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Datagrams dropped by the loss draw or a full queue. */
    public long droppedDatagrams() {
        return droppedDatagrams.get();
    }

    public long relayedDatagrams() {
        return relayedDatagrams.get();
    }

    /**
     * Datagrams each way: "to target N (dropped D), to client M (dropped E)". Through a relay before a seeder, the
     * first is what the downloader sent (acks, requests), the second what the seeder sent (data).
     */
    public String datagramsEachWay() {
        return "to target " + toTarget.datagramCounts() + ", to client " + toClient.datagramCounts();
    }

    @Override
    public void close() {
        open = false;
        for (AutoCloseable s : sockets) {
            try {
                s.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        toTarget.close();
        toClient.close();
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        InetSocketAddress udp = null;
        InetSocketAddress tcp = null;
        long delayMillis = 20;
        double loss = 0.01;
        long rate = 0;
        long queue = 4 << 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--udp" -> udp = hostPort(args[i + 1]);
                case "--tcp" -> tcp = hostPort(args[i + 1]);
                case "--delay-ms" -> delayMillis = Long.parseLong(args[i + 1]);
                case "--loss" -> loss = Double.parseDouble(args[i + 1]);
                case "--rate" -> rate = Long.parseLong(args[i + 1]);
                case "--queue" -> queue = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (udp == null) {
            throw new IllegalArgumentException("--udp HOST:PORT is required");
        }
        try (BadLinkRelay relay = start(new Profile(Duration.ofMillis(delayMillis), loss, rate, queue, 1))) {
            System.out.println("UDP " + relay.relayUdp(udp).getPort());
            if (tcp != null) {
                System.out.println("TCP " + relay.relayTcp(tcp).getPort());
            }
            System.out.flush();
            while (System.in.read() >= 0) {
                // relay until standard input closes
            }
            System.out.println("DROPPED " + relay.droppedDatagrams() + " of " + (relay.droppedDatagrams() + relay.relayedDatagrams())
                    + "; " + relay.datagramsEachWay());
        }
    }

    private static InetSocketAddress hostPort(String s) {
        int colon = s.lastIndexOf(':');
        return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }
}
