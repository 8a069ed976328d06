package dev.magnetar.webseed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSeedFilesTest {

    @TempDir
    Path dir;

    @Test
    void singleFileTorrentFetchesTheUrlItselfOrTheNameUnderAFolder() {
        TorrentInfo info = TestTorrents.singleFile(dir, "movie 1.mkv", 16384, 40_000);
        URI file = URI.create("http://127.0.0.1:8080/mirror/movie.mkv");
        assertEquals(List.of(new FileRange(file, 16384, 100, false)), new WebSeedFiles(info, file).ranges(1, 0, 100));
        WebSeedFiles folder = new WebSeedFiles(info, URI.create("http://127.0.0.1:8080/mirror/"));
        assertEquals(URI.create("http://127.0.0.1:8080/mirror/movie%201.mkv"), folder.url(0));
    }

    @Test
    void multiFileTorrentIsAFolderOfNameAndPathEachSegmentPercentEncoded() {
        TorrentInfo info = TestTorrents.builder("Album ü", 16384).file("disc 1/a#b?.flac", 10_000)
                .file("c%d.txt", 30_000).build(dir);
        WebSeedFiles files = new WebSeedFiles(info, URI.create("http://127.0.0.1:8080/pub"));
        assertEquals("http://127.0.0.1:8080/pub/Album%20%C3%BC/disc%201/a%23b%3F.flac", files.url(0).toString());
        assertEquals("http://127.0.0.1:8080/pub/Album%20%C3%BC/c%25d.txt", files.url(1).toString());
    }

    @Test
    void aPieceAcrossFilesBecomesOneRangePerFileAndPadFilesAreNeverFetched() {
        TorrentInfo info = TestTorrents.builder("set", 16384).file("a.bin", 10_000).pad(6384)
                .file("b.bin", 5_000).file("c.bin", 20_000).build(dir);
        WebSeedFiles files = new WebSeedFiles(info, URI.create("http://127.0.0.1:1/"));
        List<FileRange> piece0 = files.ranges(0, 0, 16384);
        assertEquals(2, piece0.size());
        assertEquals(new FileRange(files.url(0), 0, 10_000, false), piece0.get(0));
        assertTrue(piece0.get(1).padding());
        assertNull(files.url(1), "a pad file has no URL");
        assertEquals(List.of(new FileRange(files.url(2), 0, 5_000, false), new FileRange(files.url(3), 0, 11_384, false)),
                files.ranges(1, 0, 16384));
    }

    @Test
    void aRangeOutsideThePieceIsRefused() {
        TorrentInfo info = TestTorrents.singleFile(dir, "f", 16384, 20_000);
        WebSeedFiles files = new WebSeedFiles(info, URI.create("http://127.0.0.1:1/f"));
        assertThrows(IllegalArgumentException.class, () -> files.ranges(1, 0, 16384));
    }
}
