package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MP4 written media data first (ffmpeg without {@code +faststart}) keeps its movie box at the end, and a
 * player shows nothing before it has read all of it: once the file's first bytes have told where it is, its
 * pieces are the only time-critical ones until they are in — the piece after the first, which the player's
 * first request reads on into, must not share the seeder with them. Nothing here downloads (there are no
 * peers): the deadlines are read once the first piece, the only one on disk, has been served.
 */
class MovieBoxFirstTest {

    private static final int PIECE = 256 * 1024;
    private static final long SIZE = 40L * PIECE - 1234;
    /** Larger than a piece, so it spans the last two. */
    private static final long MOOV = 300 * 1024;

    @TempDir
    Path root;

    @Test
    void theMovieBoxAfterTheMediaDataIsAllThatIsTimeCriticalOnceTheFirstBytesShowIt() throws Exception {
        int last = (int) ((SIZE - 1) / PIECE);
        assertEquals(List.of(last - 1, last), deadlinesAfterTheFirstRead(false));
    }

    @Test
    void aMovieBoxAlreadyHereLeavesTheReaderToReadOnFromItsNextPiece() throws Exception {
        List<Integer> deadlines = deadlinesAfterTheFirstRead(true);
        assertEquals(1, deadlines.get(0), "the piece the reader reads into next: " + deadlines);
    }

    /** Starts the torrent with piece 0 (and the movie box's pieces if asked) on disk, reads byte 0 through a stream. */
    private List<Integer> deadlinesAfterTheFirstRead(boolean movieBoxOnDisk) throws Exception {
        byte[] film = mp4MediaDataFirst();
        Path content = Files.createDirectories(root.resolve("content")).resolve("film.mp4");
        Files.write(content, film);
        Metainfo metainfo = MetainfoParser.parse(TorrentCreator.create(content,
                new TorrentCreator.Options(List.of(), PIECE, false, null, "Magnetar/test", null), b -> { }));
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        try (FileChannel partial = FileChannel.open(downloads.resolve("film.mp4"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            partial.write(ByteBuffer.wrap(film, 0, PIECE), 0);
            if (movieBoxOnDisk) {
                long from = (SIZE - MOOV) / PIECE * PIECE;
                partial.write(ByteBuffer.wrap(film, (int) from, (int) (SIZE - from)), from);
            }
        }
        String hash = metainfo.info().infoHash().hex();
        try (Engine engine = Engine.start(loopback(root, "ours"))) {
            // The picker is made in the task that turns the torrent DOWNLOADING; a read can be served from the
            // checked piece 0 before that, and the deadlines are set when the picker comes.
            CompletableFuture<Void> downloading = new CompletableFuture<>();
            engine.subscribe(e -> {
                if (e instanceof EngineEvent.StateChanged c && c.infoHash().hex().equals(hash) && c.status().state() == TorrentState.DOWNLOADING) {
                    downloading.complete(null);
                }
            });
            Torrent t = engine.add(metainfo, downloads, AddOptions.defaults());
            EngineFixtures.await(downloading, "the check");
            FileStreaming streaming = engine.fileStreaming().orElseThrow();
            try (FileStream stream = streaming.openStream(hash, 0)) {
                // Served once the check has found piece 0; the loop learns of it before this returns.
                ByteBuffer first = stream.read(0, 64 * 1024).get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
                assertEquals("ftyp", StandardCharsets.US_ASCII.decode(first.slice(4, 4)).toString());
                return t.loop().submit(() -> t.picker().deadlines()).get();
            }
        }
    }

    /** ftyp, then an mdat of random bytes up to the movie box, then the moov: what ffmpeg writes by default. */
    private static byte[] mp4MediaDataFirst() {
        byte[] film = new byte[(int) SIZE];
        new SplittableRandom(21).nextBytes(film);
        ByteBuffer b = ByteBuffer.wrap(film);
        b.putInt(24).put(ascii("ftyp")).put(ascii("isom")).putInt(0x200).put(ascii("isom")).put(ascii("mp41"));
        b.putInt((int) (SIZE - 24 - MOOV)).put(ascii("mdat"));
        b.position((int) (SIZE - MOOV));
        b.putInt((int) MOOV).put(ascii("moov"));
        return film;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
