package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.testing.LibtorrentTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A v2 .torrent handed to the engine (as the API's "add a .torrent" does): bad hashes lose nothing and write nothing. */
class V2TorrentFileTest {

    @TempDir
    Path root;

    @Test
    void aV2TorrentWithAForgedPieceLayerIsRefusedAndNothingIsWritten() throws Exception {
        Path content = LibtorrentTorrents.writeFiles(root.resolve("content").resolve("pack"), new long[] {100_000, 40_000}, 9);
        byte[] good = TorrentCreator.create(content,
                new TorrentCreator.Options(List.of(), 32 * 1024, false, null, null, null, MetaVersion.V2), b -> { });
        BDictionary top = (BDictionary) BencodeDecoder.decode(good);
        Map<BString, BValue> layers = new TreeMap<>(((BDictionary) top.get("piece layers")).entries());
        Map.Entry<BString, BValue> first = layers.entrySet().iterator().next();
        byte[] forged = ((BString) first.getValue()).bytes();
        forged[0] ^= 1;
        layers.put(first.getKey(), BString.of(forged));
        Map<BString, BValue> edited = new TreeMap<>(top.entries());
        edited.put(BString.of("piece layers"), BDictionary.of(layers));
        byte[] bad = BencodeEncoder.encode(BDictionary.of(edited));

        Path downloads = Files.createDirectories(root.resolve("downloads"));
        try (Engine engine = Engine.start(loopback(root, "e"))) {
            InvalidTorrentInputException e = assertThrows(InvalidTorrentInputException.class,
                    () -> engine.addTorrentFile(bad, new AddOptions(downloads.toString(), false, false)));
            assertTrue(e.getMessage().contains("does not hash to the file's pieces root"), e.getMessage());
            assertTrue(engine.torrents().isEmpty());
            try (Stream<Path> written = Files.list(downloads)) {
                assertEquals(List.of(), written.toList(), "nothing written");
            }
            TorrentStatus honest = engine.addTorrentFile(good, new AddOptions(downloads.toString(), true, false));
            assertEquals("pack", honest.name(), "the same torrent with its real layer is taken");
        }
    }
}
