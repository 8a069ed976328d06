package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.MutableClock;
import dev.magnetar.wire.ExtensionHandshake;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The fetcher and server behind one ut_metadata handler, fed raw payloads as the engine would. */
class UtMetadataExtensionTest {

    private static final byte[] METADATA = MetadataFixtures.infoDictionary(20_000, 4);
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void aMagnetTorrentFetchesThenServesWhatItFetched() throws Exception {
        UtMetadataExtension ext = UtMetadataExtension.fetching(MetadataFixtures.infoHashOf(METADATA), clock, MetadataFetcher.Options.defaults());
        ExtensionHandshake.Builder ours = ExtensionHandshake.builder();
        ext.contributeTo(ours);
        assertTrue(ours.build().metadataSize().isEmpty(), "no metadata_size before we have it");

        FakeExtensionPeer seeder = new FakeExtensionPeer("127.0.0.1", 3001).offering("ut_metadata", 9);
        ext.peerHandshake(seeder, ExtensionHandshake.builder().message("ut_metadata", 9).metadataSize(METADATA.length).build());
        for (UtMetadataMessage m : seeder.takeMetadataMessages()) {
            int from = m.piece() * UtMetadataMessage.PIECE_LENGTH;
            ext.message(seeder, UtMetadataCodec.encode(new UtMetadataMessage.Data(m.piece(), METADATA.length,
                    Arrays.copyOfRange(METADATA, from, from + UtMetadataMessage.pieceLength(METADATA.length, m.piece())))));
        }
        assertArrayEquals(METADATA, ext.fetcher().orElseThrow().result().getNow(null));
        TorrentInfo parsed = MetainfoParser.parseInfo(METADATA);
        assertEquals(MetadataFixtures.infoHashOf(METADATA), parsed.infoHash());

        ours = ExtensionHandshake.builder();
        ext.contributeTo(ours);
        assertEquals(METADATA.length, ours.build().metadataSize().getAsLong());
        FakeExtensionPeer leecher = new FakeExtensionPeer("127.0.0.1", 3002).offering("ut_metadata", 2);
        ext.message(leecher, UtMetadataCodec.encode(new UtMetadataMessage.Request(1)));
        List<UtMetadataMessage> answers = leecher.takeMetadataMessages();
        UtMetadataMessage.Data data = assertInstanceOf(UtMetadataMessage.Data.class, answers.get(0));
        assertArrayEquals(Arrays.copyOfRange(METADATA, 16384, METADATA.length), data.data());
    }

    @Test
    void malformedMessagesCountAgainstThePeerAndUnknownTypesAreIgnored() {
        UtMetadataExtension ext = UtMetadataExtension.serving(infoOf(METADATA), clock);
        FakeExtensionPeer peer = new FakeExtensionPeer("127.0.0.1", 3003).offering("ut_metadata", 2);
        ext.message(peer, "d8:msg_typei9e5:piecei0ee".getBytes(StandardCharsets.US_ASCII));
        assertTrue(peer.misbehaviour.isEmpty(), "BEP 9: unknown msg_type is ignored");
        ext.message(peer, "garbage".getBytes(StandardCharsets.US_ASCII));
        assertEquals(1, peer.misbehaviour.size());
        assertTrue(peer.takeSent().isEmpty());
    }

    @Test
    void privateTorrentsNeitherOfferNorServeMetadata() throws Exception {
        BDictionary info = (BDictionary) BencodeDecoder.decode(METADATA);
        BDictionary.Builder b = BDictionary.builder();
        info.entries().forEach(b::put);
        byte[] privateInfo = BencodeEncoder.encode(b.put("private", 1).build());
        UtMetadataExtension ext = UtMetadataExtension.serving(infoOf(privateInfo), clock);
        assertFalse(ext.enabled());
        ExtensionHandshake.Builder ours = ExtensionHandshake.builder();
        ext.contributeTo(ours);
        assertTrue(ours.build().metadataSize().isEmpty());
        FakeExtensionPeer peer = new FakeExtensionPeer("127.0.0.1", 3004).offering("ut_metadata", 2);
        ext.message(peer, UtMetadataCodec.encode(new UtMetadataMessage.Request(0)));
        assertTrue(peer.takeSent().isEmpty());
    }

    /**
     * Hostile payloads (random, or valid messages with one byte changed) thrown at a fetching torrent
     * never escape as exceptions and never stop an honest peer from completing the fetch afterwards.
     */
    @Property(tries = 200)
    void hostilePayloadsNeitherCrashNorPoisonTheFetch(@ForAll @Size(max = 40) List<@Size(max = 120) byte[]> garbage,
            @ForAll int position, @ForAll byte replacement) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        UtMetadataExtension ext = UtMetadataExtension.fetching(MetadataFixtures.infoHashOf(METADATA), clock, MetadataFetcher.Options.defaults());
        FakeExtensionPeer hostile = new FakeExtensionPeer("127.0.0.1", 3005).offering("ut_metadata", 2);
        ext.peerHandshake(hostile, ExtensionHandshake.builder().message("ut_metadata", 2).metadataSize(METADATA.length).build());
        for (byte[] payload : garbage) {
            ext.message(hostile, payload);
        }
        byte[] mutated = UtMetadataCodec.encode(new UtMetadataMessage.Data(0, METADATA.length, Arrays.copyOf(METADATA, 16384)));
        mutated[Math.floorMod(position, mutated.length)] = replacement;
        ext.message(hostile, mutated);
        ext.peerGone(hostile);

        FakeExtensionPeer seeder = new FakeExtensionPeer("127.0.0.1", 3006).offering("ut_metadata", 9);
        ext.peerHandshake(seeder, ExtensionHandshake.builder().message("ut_metadata", 9).metadataSize(METADATA.length).build());
        for (int round = 0; round < 4 && !ext.fetcher().orElseThrow().result().isDone(); round++) {
            for (UtMetadataMessage m : seeder.takeMetadataMessages()) {
                int from = m.piece() * UtMetadataMessage.PIECE_LENGTH;
                ext.message(seeder, UtMetadataCodec.encode(new UtMetadataMessage.Data(m.piece(), METADATA.length,
                        Arrays.copyOfRange(METADATA, from, from + UtMetadataMessage.pieceLength(METADATA.length, m.piece())))));
            }
            clock.advance(MetadataFetcher.Options.defaults().requestTimeout());
            ext.tick();
        }
        assertArrayEquals(METADATA, ext.fetcher().orElseThrow().result().getNow(null));
    }

    private static TorrentInfo infoOf(byte[] infoBytes) {
        try {
            return MetainfoParser.parseInfo(infoBytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
