package dev.magnetar.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/** BEP 52 v2-only and hybrid .torrent files made by the real libtorrent (test resource interop/lt_make_v2_torrent.py). */
public final class LibtorrentTorrents {

    private LibtorrentTorrents() {}

    /**
     * A .torrent libtorrent made, with the info-hashes libtorrent computed (v1 null for a v2-only torrent)
     * and libtorrent's layout: bytes including pad files, and pieces.
     */
    public record Made(byte[] torrent, Path file, String v2Hash, String v1Hash, long totalSize, int pieces) {}

    /** Makes a {@code kind} ("v2" or "hybrid") torrent of {@code content} with pieces of {@code pieceLength}. */
    public static Made make(Path content, Path out, int pieceLength, String kind) throws Exception {
        Path python = ExternalTools.requireLibtorrentPython();
        Path script = Path.of(LibtorrentTorrents.class.getResource("/interop/lt_make_v2_torrent.py").toURI());
        ExternalTools.Result r = ExternalTools.run(Duration.ofSeconds(120), python.toString(), script.toString(),
                content.toString(), out.toString(), Integer.toString(pieceLength), kind);
        assertEquals(0, r.exitCode(), r.stderr());
        String[] lines = r.stdout().strip().split("\n");
        String v1 = lines[1].strip();
        String[] layout = lines[2].strip().split(" ");
        return new Made(Files.readAllBytes(out), out, lines[0].strip(), v1.equals("-") ? null : v1, Long.parseLong(layout[0]),
                Integer.parseInt(layout[1]));
    }

    /** Writes files a.bin, b.bin, ... of the given sizes, random bytes from {@code seed}, into {@code folder}. */
    public static Path writeFiles(Path folder, long[] sizes, long seed) throws Exception {
        Files.createDirectories(folder);
        Random random = new Random(seed);
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = new byte[Math.toIntExact(sizes[i])];
            random.nextBytes(b);
            Files.write(folder.resolve((char) ('a' + i) + ".bin"), b);
        }
        return folder;
    }
}
