package dev.magnetar.cli;

import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.MetaVersion;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreationException;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.util.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code magnetar create <path> --out X.torrent [--v2 | --hybrid]}: makes a .torrent of a file or folder. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Make a .torrent of a file or folder: BitTorrent v1 by default, v2-only with --v2, hybrid with --hybrid.")
public final class CreateCommand implements Callable<Integer> {

    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_FAILED = 1;

    @Parameters(index = "0", paramLabel = "PATH", description = "The file or folder to share.")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the .torrent.")
    Path out;

    @Option(names = "--tracker", paramLabel = "URL",
            description = "Announce URL; repeat for fallback tiers (BEP 12). Comma-separate URLs to put them in one tier.")
    List<String> trackers = new ArrayList<>();

    @Option(names = "--piece-size", paramLabel = "N",
            description = "Bytes per piece, a power of two from 16K to 16M (e.g. 262144, 256K, 4M). Default: chosen from the size.")
    String pieceSize;

    @Option(names = "--private", description = "Mark the torrent private (BEP 27): peers only from its trackers.")
    boolean isPrivate;

    @Option(names = "--comment", paramLabel = "TEXT", description = "A comment stored in the torrent.")
    String comment;

    @Option(names = "--force", description = "Overwrite --out if it exists.")
    boolean force;

    @Option(names = "--v2", description = "Make a BitTorrent v2-only torrent (BEP 52: SHA-256 merkle trees per file)."
            + " Clients without v2 support cannot use it.")
    boolean v2;

    @Option(names = "--hybrid", description = "Make a hybrid torrent (BEP 52): v2 merkle trees plus v1 piece hashes, with"
            + " pad files (BEP 47) so that each file starts on a piece boundary; v1 and v2 clients can both use it.")
    boolean hybrid;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Integer pieceLength = null;
        if (pieceSize != null) {
            long parsed = Sizes.parse(pieceSize);
            if (parsed <= 0 || parsed > Integer.MAX_VALUE) {
                return fail(err, EXIT_BAD_INPUT, "--piece-size \"" + pieceSize + "\" is not a size (use e.g. 262144, 256K or 4M)");
            }
            pieceLength = (int) parsed;
        }
        if (v2 && hybrid) {
            return fail(err, EXIT_BAD_INPUT, "--v2 and --hybrid exclude each other: a hybrid already carries the v2 hashes");
        }
        if (Files.exists(out) && !force) {
            return fail(err, EXIT_BAD_INPUT, out + " already exists; pick another --out or add --force");
        }
        List<List<String>> tiers = new ArrayList<>();
        for (String tracker : trackers) {
            List<String> tier = Arrays.stream(tracker.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (!tier.isEmpty()) {
                tiers.add(tier);
            }
        }
        TorrentCreator.Options options = new TorrentCreator.Options(tiers, pieceLength, isPrivate, comment,
                "Magnetar/" + Version.current(), Instant.now().getEpochSecond(),
                v2 ? MetaVersion.V2 : hybrid ? MetaVersion.HYBRID : MetaVersion.V1);
        ProgressBar progress = new ProgressBar(err, "hashing", total(source));
        byte[] torrent;
        try {
            torrent = TorrentCreator.create(source, options, progress::update);
        } catch (TorrentCreationException e) {
            progress.finish();
            return fail(err, EXIT_BAD_INPUT, e.getMessage());
        }
        progress.finish();
        try {
            AtomicFiles.write(out, torrent);
        } catch (IOException e) {
            return fail(err, EXIT_FAILED, "cannot write " + out + ": " + e.getMessage());
        }
        try {
            Metainfo m = MetainfoParser.parse(torrent);
            String hashes = "info-hash " + m.info().infoHash().hex()
                    + (m.info().metaVersion().hasV2() ? ", v2 info-hash " + HexFormat.of().formatHex(m.info().v2InfoHash()) : "");
            spec.commandLine().getOut().println("created " + out + ": " + hashes + ", " + m.info().dataFiles().size()
                    + " files, " + m.info().pieceCount() + " pieces of " + Sizes.human(m.info().pieceLength()));
            spec.commandLine().getOut().flush();
        } catch (InvalidTorrentException e) {
            // Our own output must always load; if not, that is a bug worth a loud message.
            return fail(err, EXIT_FAILED, "internal error: the created torrent does not load: " + e.getMessage());
        }
        return 0;
    }

    private static int fail(PrintWriter err, int code, String message) {
        err.println("error: " + message);
        err.flush();
        return code;
    }

    /** Total bytes to hash, for the progress bar only (0 when unknown; the creator reports errors). */
    private static long total(Path source) {
        try (var walk = Files.walk(source)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
