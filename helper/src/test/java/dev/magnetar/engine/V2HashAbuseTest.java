package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BInteger;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.bencode.BencodeLimits;
import dev.magnetar.metainfo.FileHashes;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.MerkleProof;
import dev.magnetar.metainfo.MerkleTree;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.LibtorrentTorrents;
import dev.magnetar.testing.TestTorrents;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad BEP 52 hash traffic from a peer whose bytes are written here by hand from the specs (BEP 3
 * framing, BEP 10 and BEP 9 for the metadata, BEP 52's messages 21-23), not by our codec: our engine
 * downloading a v2-only torrent by btmh magnet, and seeding one.
 */
class V2HashAbuseTest {

    private static final int PIECE = 16 * 1024;
    /** Our ut_metadata id, in the extension handshake this peer sends. */
    private static final int OUR_UT_METADATA = 3;

    @TempDir
    Path root;

    private Path content;
    private LibtorrentTorrents.Made made;
    private TorrentInfo info;

    @BeforeEach
    void makeTorrent() throws Exception {
        content = root.resolve("content");
        TestTorrents.multiFile(content, "pack", PIECE, 700_001, 70_000, 5_000);
        made = LibtorrentTorrents.make(content.resolve("pack"), root.resolve("v2.torrent"), PIECE, "v2");
        Metainfo m = MetainfoParser.parse(made.torrent());
        info = m.info();
    }

    // ------------------------------------------------------------------ downloading by magnet

    @Test
    void hashesForARangeNobodyAskedDropThePeerAndWriteNothing() throws Exception {
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = addMagnet(engine);
            try (RawPeer peer = RawPeer.connect(engine, truncatedV2())) {
                byte[] asked = peer.serveMetadataUntilHashRequest(info.infoBytes());
                ByteBuffer header = ByteBuffer.wrap(asked);
                byte[] root = new byte[32];
                header.get(root);
                int base = header.getInt();
                int index = header.getInt();
                int length = header.getInt();
                int proofLayers = header.getInt();
                // The same file and layer, the next run over: a range the engine did not ask for.
                byte[] unasked = rangeHeader(root, base, index + length, length, proofLayers);
                int hashes = length + Math.max(0, proofLayers - Integer.numberOfTrailingZeros(length) + 1);
                peer.send(22, concat(unasked, new byte[hashes * 32]));
                assertTrue(peer.closedByTheEngine(), "a hashes reply nobody asked for ends the connection");
            }
            assertNothingWritten(t);
        }
    }

    @Test
    void hashesThatDoNotReachTheRootGetThePeerBannedAndWriteNothing() throws Exception {
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = addMagnet(engine);
            CompletableFuture<EngineEvent.PeerBanned> banned = new CompletableFuture<>();
            t.addListener(e -> {
                if (e instanceof EngineEvent.PeerBanned b) {
                    banned.complete(b);
                }
            });
            try (RawPeer peer = RawPeer.connect(engine, truncatedV2())) {
                byte[] asked = peer.serveMetadataUntilHashRequest(info.infoBytes());
                byte[] answer = seederAnswer(asked);
                answer[48 + 3 * 32] ^= 0x01; // the fourth piece hash of the run, one bit
                peer.send(22, answer);
                assertTrue(peer.closedByTheEngine());
            }
            EngineEvent.PeerBanned ban = banned.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            assertTrue(ban.reason().contains("pieces root"), ban.reason());
            assertNothingWritten(t);
        }
    }

    @Test
    void hashesOfTheWrongCountForTheirRangeAreMalformedAndDropThePeer() throws Exception {
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = addMagnet(engine);
            try (RawPeer peer = RawPeer.connect(engine, truncatedV2())) {
                byte[] asked = peer.serveMetadataUntilHashRequest(info.infoBytes());
                byte[] answer = seederAnswer(asked);
                peer.send(22, Arrays.copyOf(answer, answer.length - 32)); // the last proof hash left out
                assertTrue(peer.closedByTheEngine());
            }
            assertNothingWritten(t);
        }
    }

    // ------------------------------------------------------------------ seeding

    @Test
    void aSeederAnswersWithHashesThatReachTheRootAndRejectsARangeBeyondTheFile() throws Exception {
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = engine.add(info, content, java.util.List.of(), AddOptions.defaults());
            await(t.completion(), "check of our seed");
            FileHashes big = info.pieceLayers().files().get(0);
            int base = MerkleTree.heightOfPieceLayer(PIECE);
            int proofLayers = big.rootHeight() - base - 1;
            try (RawPeer peer = RawPeer.connect(engine, truncatedV2())) {
                byte[] request = rangeHeader(big.piecesRoot(), base, 0, 16, proofLayers);
                peer.send(21, request);
                byte[] hashes = peer.awaitMessage(22);
                assertArrayEquals(request, Arrays.copyOf(hashes, 48), "the answer names the range asked");
                int uncles = proofLayers - 4 + 1;
                assertEquals(48 + (16 + uncles) * 32, hashes.length);
                assertTrue(MerkleProof.verify(big.piecesRoot(), big.rootHeight(), base, 0,
                        Arrays.copyOfRange(hashes, 48, 48 + 16 * 32), Arrays.copyOfRange(hashes, 48 + 16 * 32, hashes.length)));

                int width = MerkleTree.ceilPowerOfTwo(big.pieceCount());
                byte[] beyond = rangeHeader(big.piecesRoot(), base, width, 16, proofLayers);
                peer.send(21, beyond);
                assertArrayEquals(beyond, peer.awaitMessage(23), "a hash reject for a range beyond the file");
            }
        }
    }

    @Test
    void aFloodOfHashRequestsDropsThePeer() throws Exception {
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            Torrent t = engine.add(info, content, java.util.List.of(), AddOptions.defaults());
            await(t.completion(), "check of our seed");
            FileHashes big = info.pieceLayers().files().get(0);
            byte[] request = rangeHeader(big.piecesRoot(), 0, 0, 2, 0);
            int allowed = HashExchange.BASE_ALLOWANCE + PieceLayerFetch.requestAllowance(info.pieceLayers());
            try (RawPeer peer = RawPeer.connect(engine, truncatedV2())) {
                for (int i = 0; i <= allowed; i++) {
                    peer.send(21, request);
                }
                assertTrue(peer.closedByTheEngine(), "more hash requests than the layers could need end the connection");
            }
            assertEquals(TorrentState.SEEDING, t.state(), "the flood harmed nothing else");
        }
    }

    // ------------------------------------------------------------------ helpers

    private Torrent addMagnet(Engine engine) throws Exception {
        return engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btmh:1220" + made.v2Hash()), root.resolve("out"),
                AddOptions.defaults());
    }

    private byte[] truncatedV2() {
        return Arrays.copyOf(HexFormat.of().parseHex(made.v2Hash()), 20);
    }

    /** A correct {@code hashes} payload for the request payload {@code asked}, as a seeder holding the layers sends it. */
    private byte[] seederAnswer(byte[] asked) {
        ByteBuffer b = ByteBuffer.wrap(asked);
        byte[] root = new byte[32];
        b.get(root);
        var range = new dev.magnetar.wire.HashRange(root, b.getInt(), b.getInt(), b.getInt(), b.getInt());
        byte[] hashes = new TorrentMerkleHashes(info::pieceLayers, () -> null, () -> { }, new LeafVerifiedBlocks(() -> null, p -> 0, new PieceBufferPool(0)), p -> { }).answer(range);
        return concat(asked, hashes);
    }

    private void assertNothingWritten(Torrent t) throws IOException {
        assertNull(t.info(), "no metadata taken into use: the layers never came");
        Path out = root.resolve("out");
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.walk(out)) {
                assertFalse(files.anyMatch(Files::isRegularFile), "nothing written");
            }
        }
    }

    /** BEP 52: {@code <pieces root><base layer><index><length><proof layers>}. */
    private static byte[] rangeHeader(byte[] root, int base, int index, int length, int proofLayers) {
        return ByteBuffer.allocate(48).put(root).putInt(base).putInt(index).putInt(length).putInt(proofLayers).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** One TCP connection to the engine, bytes by hand. */
    private static final class RawPeer implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        private RawPeer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
        }

        /** Connects and exchanges BEP 3 handshakes (BEP 6 and BEP 10 bits set) naming {@code infoHash}. */
        static RawPeer connect(Engine engine, byte[] infoHash) throws IOException {
            Socket s = new Socket("127.0.0.1", engine.listenAddress().getPort());
            s.setSoTimeout((int) GUARD.toMillis()); // hang guard only
            RawPeer p = new RawPeer(s);
            p.out.writeByte(19);
            p.out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
            p.out.write(new byte[] {0, 0, 0, 0, 0, 0x10, 0, 0x04}); // BEP 10, BEP 6
            p.out.write(infoHash);
            p.out.write("-XX0001-rawpeerbytes".getBytes(StandardCharsets.US_ASCII));
            p.out.flush();
            byte[] theirs = new byte[68];
            p.in.readFully(theirs);
            assertArrayEquals(infoHash, Arrays.copyOfRange(theirs, 28, 48), "the engine answers for the v2 swarm");
            assertEquals(0x10, theirs[27] & 0x10, "BEP 52: the engine sets the v2 bit for a v2 torrent");
            return p;
        }

        void send(int id, byte[] payload) throws IOException {
            out.writeInt(1 + payload.length);
            out.writeByte(id);
            out.write(payload);
            out.flush();
        }

        /**
         * Plays a seeder that offers ut_metadata: answers the engine's metadata requests with {@code metadata}
         * until the engine sends a BEP 52 hash request, whose payload it returns.
         */
        byte[] serveMetadataUntilHashRequest(byte[] metadata) throws Exception {
            send(20, concat(new byte[] {0}, BencodeEncoder.encode(BDictionary.builder()
                    .put("m", BDictionary.builder().put("ut_metadata", OUR_UT_METADATA).build())
                    .put("metadata_size", (long) metadata.length).build())));
            send(0x0E, new byte[0]); // BEP 6 have all
            int theirUtMetadata = -1;
            while (true) {
                int length = in.readInt();
                if (length == 0) {
                    continue;
                }
                int id = in.readUnsignedByte();
                byte[] payload = new byte[length - 1];
                in.readFully(payload);
                if (id == 21) {
                    return payload;
                }
                if (id != 20) {
                    continue;
                }
                if (payload[0] == 0) {
                    BDictionary hs = (BDictionary) BencodeDecoder.decode(Arrays.copyOfRange(payload, 1, payload.length));
                    theirUtMetadata = (int) ((BInteger) ((BDictionary) hs.get("m")).get("ut_metadata")).value();
                } else if (payload[0] == OUR_UT_METADATA) {
                    var d = BencodeDecoder.decodePrefix(payload, 1, payload.length - 1, BencodeLimits.DEFAULT);
                    int piece = (int) ((BInteger) ((BDictionary) d.value()).get("piece")).value();
                    byte[] dict = BencodeEncoder.encode(BDictionary.builder().put("msg_type", 1L).put("piece", (long) piece)
                            .put("total_size", (long) metadata.length).build());
                    int from = piece * 16 * 1024;
                    byte[] data = Arrays.copyOfRange(metadata, from, Math.min(metadata.length, from + 16 * 1024));
                    send(20, concat(concat(new byte[] {(byte) theirUtMetadata}, dict), data));
                }
            }
        }

        /** The payload of the next message with {@code wantedId}, skipping the others. */
        byte[] awaitMessage(int wantedId) throws IOException {
            while (true) {
                int length = in.readInt();
                if (length == 0) {
                    continue;
                }
                int id = in.readUnsignedByte();
                byte[] payload = new byte[length - 1];
                in.readFully(payload);
                if (id == wantedId) {
                    return payload;
                }
            }
        }

        /** Whether the engine closes the connection (reads until end of stream; the socket timeout is the guard). */
        boolean closedByTheEngine() throws IOException {
            try {
                while (in.read() >= 0) {
                    // whatever the engine sent before closing
                }
                return true;
            } catch (EOFException | SocketException e) {
                return true; // reset: closed too
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
