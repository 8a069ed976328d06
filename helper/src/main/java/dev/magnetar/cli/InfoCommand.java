package dev.magnetar.cli;

import dev.magnetar.metainfo.DisplayText;
import dev.magnetar.metainfo.InvalidMagnetException;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.MagnetLink;
import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code magnetar info <.torrent-or-magnet>}: shows what Magnetar parsed, with file paths as they would be saved. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a torrent's or magnet link's name, info-hash, files (with their sanitised paths), pieces and trackers.")
public final class InfoCommand implements Callable<Integer> {

    /** Exit code for input that is not a usable torrent or magnet link. */
    static final int EXIT_BAD_INPUT = 2;
    private static final int MAX_TEXT = 1000;

    @Parameters(index = "0", paramLabel = "TORRENT-OR-MAGNET", description = "A .torrent file or a magnet: URI.")
    String source;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (source.regionMatches(true, 0, "magnet:", 0, 7)) {
                printMagnet(MagnetParser.parse(source), out);
            } else {
                printTorrent(MetainfoParser.parse(TorrentFileReader.read(Path.of(source))), out);
            }
            out.flush();
            return 0;
        } catch (InvalidTorrentException | InvalidMagnetException e) {
            err.println("error: " + DisplayText.of(e.getMessage(), MAX_TEXT));
            err.flush();
            return EXIT_BAD_INPUT;
        }
    }

    private static void printTorrent(Metainfo m, PrintWriter out) {
        TorrentInfo info = m.info();
        out.println("name: " + text(info.name()));
        if (info.metaVersion().hasV1()) {
            out.println("info-hash: " + info.infoHash().hex());
        }
        if (info.metaVersion().hasV2()) {
            out.println("info-hash v2: " + HexFormat.of().formatHex(info.v2InfoHash()));
        }
        out.println("version: " + switch (info.metaVersion()) {
            case V1 -> "v1";
            case HYBRID -> "hybrid (v1 + v2)";
            case V2 -> info.isDownloadable() ? "v2 only"
                    : "v2 only, without the piece layers of its larger files (its btmh magnet link fetches them from peers)";
        });
        out.println("private: " + (info.isPrivate() ? "yes" : "no"));
        out.println("piece size: " + info.pieceLength() + " bytes (" + Sizes.human(info.pieceLength()) + ")");
        out.println("pieces: " + info.layoutPieceCount());
        long dataBytes = info.dataFiles().stream().mapToLong(TorrentFile::length).sum();
        out.println("total size: " + dataBytes + " bytes (" + Sizes.human(dataBytes) + ")");
        if (m.announceTiers().isEmpty()) {
            out.println("trackers: none");
        } else {
            out.println("trackers:");
            for (int i = 0; i < m.announceTiers().size(); i++) {
                for (String url : m.announceTiers().get(i)) {
                    out.println("  tier " + (i + 1) + ": " + text(url));
                }
            }
        }
        for (String seed : m.webSeeds()) {
            out.println("web seed: " + text(seed));
        }
        if (m.comment() != null) {
            out.println("comment: " + text(m.comment()));
        }
        if (m.createdBy() != null) {
            out.println("created by: " + text(m.createdBy()));
        }
        if (m.creationDate() != null) {
            out.println("creation date: " + creationDate(m.creationDate()));
        }
        List<TorrentFile> files = info.dataFiles();
        int padding = info.files().size() - files.size();
        out.println("files: " + files.size() + (padding > 0 ? " (plus " + padding + " pad files, not saved)" : ""));
        for (TorrentFile f : files) {
            out.println("  " + f.displayPath() + "  " + f.length() + " bytes (" + Sizes.human(f.length()) + ")");
        }
    }

    private static void printMagnet(MagnetLink link, PrintWriter out) {
        out.println("name: " + (link.displayName() == null ? "(not given; known once the metadata is fetched)" : link.displayName()));
        out.println("info-hash: " + link.infoHash().hex());
        if (link.exactLength() != null) {
            out.println("total size: " + link.exactLength() + " bytes (" + Sizes.human(link.exactLength()) + ")");
        }
        if (link.trackers().isEmpty()) {
            out.println("trackers: none (peers must come from DHT or --peer)");
        } else {
            out.println("trackers:");
            link.trackers().forEach(t -> out.println("  " + text(t)));
        }
        link.peers().forEach(p -> out.println("peer: " + p));
        out.println("files: known once the metadata is fetched from peers (BEP 9)");
    }

    private static String creationDate(long seconds) {
        try {
            return Instant.ofEpochSecond(seconds) + " (" + seconds + ")";
        } catch (java.time.DateTimeException e) {
            return Long.toString(seconds);
        }
    }

    private static String text(String s) {
        return DisplayText.of(s, MAX_TEXT);
    }
}
