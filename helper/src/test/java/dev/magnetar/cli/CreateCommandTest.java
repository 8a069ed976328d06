package dev.magnetar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateCommandTest {

    @TempDir
    Path dir;

    @Test
    void createsATorrentThatInfoReadsBack() throws Exception {
        Path content = Files.createDirectories(dir.resolve("album"));
        Files.write(content.resolve("one.flac"), new byte[70_000]);
        Files.write(content.resolve("two.flac"), new byte[1_000]);
        Path out = dir.resolve("album.torrent");

        InfoCommandTest.Run r = InfoCommandTest.run(new CreateCommand(), content.toString(), "--out", out.toString(),
                "--tracker", "http://127.0.0.1:1/announce", "--tracker", "udp://127.0.0.1:2,udp://127.0.0.1:3",
                "--piece-size", "32K", "--private", "--comment", "made in a test");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("hashing [") && r.err().contains("100%"), "progress bar on stderr: " + r.err());
        Metainfo m = MetainfoParser.parse(Files.readAllBytes(out));
        assertTrue(r.out().contains("info-hash " + m.info().infoHash().hex()), r.out());
        assertEquals(32768, m.info().pieceLength());
        assertTrue(m.info().isPrivate());
        assertEquals("made in a test", m.comment());
        assertTrue(m.createdBy().startsWith("Magnetar/"), m.createdBy());
        assertEquals(List.of(List.of("http://127.0.0.1:1/announce"), List.of("udp://127.0.0.1:2", "udp://127.0.0.1:3")),
                m.announceTiers());

        InfoCommandTest.Run info = InfoCommandTest.run(new InfoCommand(), out.toString());
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("  album/one.flac  70000 bytes"), info.out());
    }

    @Test
    void createsV2AndHybridTorrentsThatInfoReadsBack() throws Exception {
        Path content = Files.createDirectories(dir.resolve("album"));
        Files.write(content.resolve("one.flac"), new byte[70_000]);
        Files.write(content.resolve("two.flac"), new byte[1_000]);
        for (String flag : List.of("--v2", "--hybrid")) {
            Path out = dir.resolve(flag.substring(2) + ".torrent");
            InfoCommandTest.Run r = InfoCommandTest.run(new CreateCommand(), content.toString(), "--out", out.toString(),
                    "--piece-size", "32K", flag);
            assertEquals(0, r.exit(), r.err());
            Metainfo m = MetainfoParser.parse(Files.readAllBytes(out));
            assertEquals(flag.equals("--v2") ? MetaVersion.V2 : MetaVersion.HYBRID, m.info().metaVersion());
            assertTrue(r.out().contains("v2 info-hash " + HexFormat.of().formatHex(m.info().v2InfoHash())), r.out());
            assertTrue(m.info().isDownloadable(), "the piece layers are in the file");
            InfoCommandTest.Run info = InfoCommandTest.run(new InfoCommand(), out.toString());
            assertEquals(0, info.exit(), info.err());
            assertTrue(info.out().contains("  album/one.flac  70000 bytes"), info.out());
            assertTrue(!info.out().contains(".pad"), "pad files are not the user's: " + info.out());
        }
        InfoCommandTest.Run both = InfoCommandTest.run(new CreateCommand(), content.toString(), "--out",
                dir.resolve("both.torrent").toString(), "--v2", "--hybrid");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--v2 and --hybrid exclude each other"), both.err());
        assertTrue(!Files.exists(dir.resolve("both.torrent")));
    }

    @Test
    void refusesBadInput() throws Exception {
        Path file = Files.write(dir.resolve("f.bin"), new byte[10]);
        InfoCommandTest.Run badSize = InfoCommandTest.run(new CreateCommand(), file.toString(), "--out",
                dir.resolve("x.torrent").toString(), "--piece-size", "lots");
        assertEquals(2, badSize.exit());
        assertTrue(badSize.err().contains("--piece-size \"lots\" is not a size"), badSize.err());

        InfoCommandTest.Run notPowerOfTwo = InfoCommandTest.run(new CreateCommand(), file.toString(), "--out",
                dir.resolve("x.torrent").toString(), "--piece-size", "20000");
        assertEquals(2, notPowerOfTwo.exit());
        assertTrue(notPowerOfTwo.err().contains("power of two"), notPowerOfTwo.err());

        InfoCommandTest.Run missing = InfoCommandTest.run(new CreateCommand(), dir.resolve("none").toString(), "--out",
                dir.resolve("x.torrent").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("does not exist"), missing.err());

        Path existing = Files.write(dir.resolve("exists.torrent"), new byte[1]);
        InfoCommandTest.Run noOverwrite = InfoCommandTest.run(new CreateCommand(), file.toString(), "--out", existing.toString());
        assertEquals(2, noOverwrite.exit());
        assertTrue(noOverwrite.err().contains("already exists"), noOverwrite.err());
        assertEquals(1, Files.size(existing));
    }
}
