package dev.magnetar.speed;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeder that cheats, written for tests from the wire specs alone — BEP 3 (handshake, bitfield,
 * unchoke, request, piece), BEP 10 (extension handshake) and protocol-spec/speed-extension.md — over a
 * plain socket. It deliberately shares no code with the engine, the wire codecs or the speed package
 * (it has its own bencoding), so that it exercises the payer the way another client's author would.
 * It sells paid slots with an ask and answers every bid with a {@code bid_result} its {@link Cheat} dictates.
 */
final class DishonestSeeder implements AutoCloseable {

    enum Cheat {
        /** "won" at 10,000 BTT/GiB, far above any bid. */
        OVERCHARGES,
        /** "won" at its ask while the bid was below the ask. */
        WINS_ABOVE_THE_BID,
        /** "won" at a tenth of its own ask. */
        WINS_BELOW_ITS_ASK,
        /** every requested block, ten times. */
        SENDS_EVERY_BLOCK_TEN_TIMES,
        /** every requested block, plus two blocks nobody asked for. */
        SENDS_UNREQUESTED_BLOCKS,
        /** random bytes instead of the data. */
        SENDS_GARBAGE,
        /** serves honestly until the first payment notice, then sends nothing more. */
        STOPS_AFTER_PAYMENT,
        /** serves honestly, and answers every payment notice "not held" (§4.5) — even for a payment it was sent before. */
        DENIES_PAYMENTS,
        /** serves honestly and never acknowledges a payment notice. */
        NEVER_ACKNOWLEDGES
    }

    static final BigInteger BTT = BigInteger.TEN.pow(18);
    private static final int MG_SPEED_ID = 7; // the extended id we assign to mg_speed in our BEP 10 handshake
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the seeder advertises in its mg_speed handshake (spec §3), as plain values. */
    record Terms(String address, String network, long chainId, String token, BigInteger askPerGiB) {}

    private final Cheat cheat;
    private final Terms terms;
    private final byte[] infoHash;
    private final byte[] content;
    private final int pieceLength;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger connectionsClosedByPeer = new AtomicInteger();
    private final AtomicInteger bidsReceived = new AtomicInteger();
    private final AtomicInteger receiptsReceived = new AtomicInteger();
    private final AtomicInteger paymentsReceived = new AtomicInteger();
    private final AtomicLong blocksSent = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> errorCodesReceived = new ConcurrentLinkedQueue<>();
    /** Payment notices received per transaction id (hex), in the order first seen. */
    private final Map<String, Integer> noticesPerTxid = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private final AtomicBoolean stoppedServing = new AtomicBoolean();

    DishonestSeeder(Cheat cheat, Terms terms, byte[] infoHash, byte[] content, int pieceLength) throws IOException {
        this.cheat = cheat;
        this.terms = terms;
        this.infoHash = infoHash.clone();
        this.content = content;
        this.pieceLength = pieceLength;
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "dishonest-seeder-" + cheat);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** Connections the payer closed (we never close one ourselves while open). */
    int connectionsClosedByPeer() {
        return connectionsClosedByPeer.get();
    }

    int bidsReceived() {
        return bidsReceived.get();
    }

    int receiptsReceived() {
        return receiptsReceived.get();
    }

    int paymentsReceived() {
        return paymentsReceived.get();
    }

    long blocksSent() {
        return blocksSent.get();
    }

    Map<String, Integer> noticesPerTxid() {
        synchronized (noticesPerTxid) {
            return Map.copyOf(noticesPerTxid);
        }
    }

    List<Long> errorCodesReceived() {
        return List.copyOf(errorCodesReceived);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (sockets) {
                    sockets.add(s);
                }
                Thread t = new Thread(() -> serve(s), "dishonest-seeder-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            handshake(in, out);
            Connection c = new Connection(out);
            c.sendExtensionHandshake();
            c.sendBitfield();
            out.flush(); // unchoked only once it has bid: this seeder serves paid slots only
            while (true) {
                int length = in.readInt();
                if (length == 0) {
                    continue; // keep-alive
                }
                byte[] message = new byte[length];
                in.readFully(message);
                c.onMessage(message);
                out.flush();
            }
        } catch (EOFException e) {
            connectionsClosedByPeer.incrementAndGet();
        } catch (IOException e) {
            if (!server.isClosed()) {
                connectionsClosedByPeer.incrementAndGet(); // reset by the peer
            }
        }
    }

    /** BEP 3 handshake, reserved bit 20 (BEP 10) set; the info-hash must be ours. */
    private void handshake(DataInputStream in, DataOutputStream out) throws IOException {
        byte[] theirs = new byte[68];
        in.readFully(theirs);
        byte[] ih = java.util.Arrays.copyOfRange(theirs, 28, 48);
        if (theirs[0] != 19 || !java.util.Arrays.equals(ih, infoHash)) {
            throw new IOException("not our torrent");
        }
        out.write(19);
        out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        byte[] reserved = new byte[8];
        reserved[5] = 0x10;
        out.write(reserved);
        out.write(infoHash);
        byte[] peerId = new byte[20];
        System.arraycopy("-XX0001-".getBytes(StandardCharsets.US_ASCII), 0, peerId, 0, 8);
        for (int i = 8; i < 20; i++) {
            peerId[i] = (byte) ('a' + RANDOM.nextInt(26));
        }
        out.write(peerId);
    }

    private final class Connection {
        private final DataOutputStream out;
        private int theirMgSpeedId = -1;
        private long round;
        private boolean unchoked;

        Connection(DataOutputStream out) {
            this.out = out;
        }

        void send(byte[] message) throws IOException {
            out.writeInt(message.length);
            out.write(message);
        }

        void sendExtended(int id, Map<String, Object> dict) throws IOException {
            byte[] payload = Bencode.encode(dict);
            byte[] m = new byte[2 + payload.length];
            m[0] = 20;
            m[1] = (byte) id;
            System.arraycopy(payload, 0, m, 2, payload.length);
            send(m);
        }

        void sendExtensionHandshake() throws IOException {
            Map<String, Object> mg = new TreeMap<>();
            mg.put("v", 1L);
            mg.put("addr", terms.address());
            mg.put("net", terms.network());
            mg.put("chain", terms.chainId());
            mg.put("token", terms.token());
            mg.put("ask", terms.askPerGiB().toString());
            Map<String, Object> hs = new TreeMap<>();
            hs.put("m", new TreeMap<>(Map.of("mg_speed", (long) MG_SPEED_ID)));
            hs.put("mg_speed", mg);
            hs.put("v", "dishonest 1");
            sendExtended(0, hs);
        }

        void sendBitfield() throws IOException {
            int pieces = (content.length + pieceLength - 1) / pieceLength;
            byte[] m = new byte[1 + (pieces + 7) / 8];
            m[0] = 5;
            for (int i = 0; i < pieces; i++) {
                m[1 + i / 8] |= (byte) (0x80 >>> (i % 8));
            }
            send(m);
        }

        void onMessage(byte[] m) throws IOException {
            switch (m[0]) {
                case 6 -> onRequest(m);
                case 20 -> onExtended(m);
                default -> { } // interested, have, cancel, …: a seeder that unchoked everyone needs nothing else
            }
        }

        private void onRequest(byte[] m) throws IOException {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(m, 1, 12);
            int piece = b.getInt();
            int begin = b.getInt();
            int length = b.getInt();
            if (stoppedServing.get()) {
                return;
            }
            switch (cheat) {
                case SENDS_EVERY_BLOCK_TEN_TIMES -> {
                    for (int i = 0; i < 10; i++) {
                        sendBlock(piece, begin, length, false);
                    }
                }
                case SENDS_UNREQUESTED_BLOCKS -> {
                    sendBlock(piece, begin, length, false);
                    int pieces = (content.length + pieceLength - 1) / pieceLength;
                    for (int i = 1; i <= 2; i++) {
                        int other = (piece + i) % pieces;
                        sendBlock(other, pieceLength - length, length, false); // the last block of another piece
                    }
                }
                case SENDS_GARBAGE -> sendBlock(piece, begin, length, true);
                default -> sendBlock(piece, begin, length, false);
            }
        }

        private void sendBlock(int piece, int begin, int length, boolean garbage) throws IOException {
            long offset = (long) piece * pieceLength + begin;
            if (offset + length > content.length) {
                return;
            }
            byte[] m = new byte[9 + length];
            m[0] = 7;
            java.nio.ByteBuffer.wrap(m, 1, 8).putInt(piece).putInt(begin);
            if (garbage) {
                byte[] noise = new byte[length];
                RANDOM.nextBytes(noise);
                System.arraycopy(noise, 0, m, 9, length);
            } else {
                System.arraycopy(content, (int) offset, m, 9, length);
            }
            send(m);
            blocksSent.incrementAndGet();
        }

        private void onExtended(byte[] m) throws IOException {
            Object decoded = Bencode.decode(java.util.Arrays.copyOfRange(m, 2, m.length));
            if (!(decoded instanceof Map<?, ?> dict)) {
                return;
            }
            if (m[1] == 0) {
                if (dict.get("m") instanceof Map<?, ?> ids && ids.get("mg_speed") instanceof Long id) {
                    theirMgSpeedId = id.intValue();
                }
                return;
            }
            if (m[1] != MG_SPEED_ID || !(dict.get("msg_type") instanceof Long type)) {
                return;
            }
            switch (type.intValue()) {
                case 0 -> onBid(dict);
                case 2 -> receiptsReceived.incrementAndGet();
                case 3 -> {
                    paymentsReceived.incrementAndGet();
                    if (cheat == Cheat.STOPS_AFTER_PAYMENT) {
                        stoppedServing.set(true);
                    }
                    onPayment(dict);
                }
                case 4 -> errorCodesReceived.add((Long) dict.get("code"));
                default -> { }
            }
        }

        /**
         * Spec §4.3/§4.5: counts the notice by transaction id; a seeder that denies payments answers each one
         * "not held" (status 2, PAYMENT_NOT_FOUND), whether or not it saw it before.
         */
        private void onPayment(Map<?, ?> payment) throws IOException {
            if (!(payment.get("proof") instanceof Map<?, ?> proof) || !(proof.get("txid") instanceof byte[] txid)) {
                return;
            }
            noticesPerTxid.merge(java.util.HexFormat.of().formatHex(txid), 1, Integer::sum);
            if (cheat == Cheat.DENIES_PAYMENTS && theirMgSpeedId >= 0) {
                Map<String, Object> ack = new TreeMap<>();
                ack.put("msg_type", 5L);
                ack.put("proof", new TreeMap<>(Map.of("type", "trc20_tx", "txid", txid)));
                ack.put("status", 2L);
                ack.put("code", 20L);
                ack.put("credited", "0");
                sendExtended(theirMgSpeedId, ack);
            }
        }

        /**
         * Spec §4.0/§4.1: every bid is answered at once, with the price this cheat claims. The first one
         * also unchokes the payer.
         */
        private void onBid(Map<?, ?> bid) throws IOException {
            bidsReceived.incrementAndGet();
            BigInteger rate = new BigInteger(new String((byte[]) bid.get("rate"), StandardCharsets.US_ASCII));
            long seq = (Long) bid.get("seq");
            if (theirMgSpeedId < 0) {
                return;
            }
            BigInteger ask = terms.askPerGiB();
            BigInteger price = switch (cheat) {
                case OVERCHARGES -> BTT.multiply(BigInteger.valueOf(10_000));
                case WINS_ABOVE_THE_BID -> ask;
                case WINS_BELOW_ITS_ASK -> ask.divide(BigInteger.TEN);
                default -> rate.compareTo(ask) >= 0 ? ask : BigInteger.ZERO; // the honest clearing price with one bidder
            };
            boolean won = rate.signum() > 0 && price.signum() > 0;
            Map<String, Object> result = new TreeMap<>();
            result.put("msg_type", 1L);
            result.put("won", won ? 1L : 0L);
            result.put("price", won ? price.toString() : "0");
            result.put("seq", seq);
            result.put("round", ++round);
            sendExtended(theirMgSpeedId, result);
            if (!unchoked) {
                unchoked = true;
                send(new byte[] {1}); // BEP 3 unchoke, after the bid_result so that what follows is paid (spec §4.1)
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Just enough bencoding (BEP 3) for the handshake and mg_speed messages: dicts, lists, integers, strings. */
    static final class Bencode {
        private Bencode() {}

        static byte[] encode(Object value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, value);
            return out.toByteArray();
        }

        private static void write(ByteArrayOutputStream out, Object v) {
            if (v instanceof Long n) {
                out.writeBytes(("i" + n + "e").getBytes(StandardCharsets.US_ASCII));
            } else if (v instanceof String s) {
                writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
            } else if (v instanceof byte[] b) {
                writeBytes(out, b);
            } else if (v instanceof Map<?, ?> m) {
                out.write('d');
                for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) { // keys sorted as raw strings (all ASCII here)
                    writeBytes(out, ((String) e.getKey()).getBytes(StandardCharsets.UTF_8));
                    write(out, e.getValue());
                }
                out.write('e');
            } else if (v instanceof List<?> l) {
                out.write('l');
                l.forEach(x -> write(out, x));
                out.write('e');
            } else {
                throw new IllegalArgumentException("cannot bencode " + v);
            }
        }

        private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        }

        /** Strings decode to byte[]; dictionary keys to String. */
        static Object decode(byte[] data) throws IOException {
            int[] pos = {0};
            return read(data, pos);
        }

        private static Object read(byte[] d, int[] pos) throws IOException {
            if (pos[0] >= d.length) {
                throw new IOException("truncated bencoding");
            }
            byte c = d[pos[0]];
            if (c == 'i') {
                int end = indexOf(d, (byte) 'e', pos[0]);
                long n = Long.parseLong(new String(d, pos[0] + 1, end - pos[0] - 1, StandardCharsets.US_ASCII));
                pos[0] = end + 1;
                return n;
            }
            if (c == 'l') {
                pos[0]++;
                List<Object> l = new ArrayList<>();
                while (d[pos[0]] != 'e') {
                    l.add(read(d, pos));
                }
                pos[0]++;
                return l;
            }
            if (c == 'd') {
                pos[0]++;
                Map<String, Object> m = new TreeMap<>();
                while (d[pos[0]] != 'e') {
                    String key = new String((byte[]) read(d, pos), StandardCharsets.UTF_8);
                    m.put(key, read(d, pos));
                }
                pos[0]++;
                return m;
            }
            int colon = indexOf(d, (byte) ':', pos[0]);
            int len = Integer.parseInt(new String(d, pos[0], colon - pos[0], StandardCharsets.US_ASCII));
            byte[] s = java.util.Arrays.copyOfRange(d, colon + 1, colon + 1 + len);
            pos[0] = colon + 1 + len;
            return s;
        }

        private static int indexOf(byte[] d, byte b, int from) throws IOException {
            for (int i = from; i < d.length; i++) {
                if (d[i] == b) {
                    return i;
                }
            }
            throw new IOException("truncated bencoding");
        }
    }
}
