package dev.magnetar.nativehost;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Which path on disk an "open" request may show, from what the daemon says about the torrent: its save
 * folder and its files' relative paths. The host starts a program on the result, so nothing outside the
 * torrent's save folder is ever opened — not through ".." in a path the daemon reported (it sanitises
 * them, this checks again), nor through a symbolic link inside the folder that points out of it.
 */
final class TorrentPaths {

    /** A file as GET /api/v1/torrents/{infoHash} lists it: '/'-joined components, the torrent's name first when multi-file. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record File(int index, String path, long length, long doneBytes) {}

    private TorrentPaths() {}

    /**
     * The folder to show: a multi-file torrent's own folder once it exists, else the save folder
     * (a single-file torrent lives directly in it; a magnet without metadata has no files yet).
     */
    static Path folder(String saveFolder, List<File> files) throws OpenRefusedException {
        Path root = root(saveFolder);
        if (!files.isEmpty()) {
            String first = files.get(0).path();
            int slash = first.indexOf('/');
            if (slash > 0 && files.stream().allMatch(f -> f.path().startsWith(first.substring(0, slash + 1)))) {
                Path own = inside(root, first.substring(0, slash));
                if (Files.isDirectory(own)) {
                    return own;
                }
            }
        }
        return root;
    }

    /** The file with {@code index}, once it is on disk. */
    static Path file(String saveFolder, List<File> files, int index) throws OpenRefusedException {
        Path root = root(saveFolder);
        File file = files.stream().filter(f -> f.index() == index).findFirst()
                .orElseThrow(() -> new OpenRefusedException(OpenRefusedException.NOT_FOUND, "the torrent has no file with index " + index));
        Path p = inside(root, file.path());
        if (!Files.isRegularFile(p) || file.doneBytes() < file.length()) {
            throw new OpenRefusedException(OpenRefusedException.NOT_FOUND, file.path() + " is not downloaded yet");
        }
        return p;
    }

    private static Path root(String saveFolder) throws OpenRefusedException {
        try {
            Path root = Path.of(saveFolder);
            if (!root.isAbsolute()) {
                throw new OpenRefusedException(OpenRefusedException.OUTSIDE, "the daemon reported a save folder that is not absolute: " + saveFolder);
            }
            if (!Files.isDirectory(root)) {
                throw new OpenRefusedException(OpenRefusedException.NOT_FOUND, "the save folder " + saveFolder + " does not exist (moved or deleted?)");
            }
            return root.toRealPath();
        } catch (InvalidPathException | IOException e) {
            throw new OpenRefusedException(OpenRefusedException.NOT_FOUND, "cannot read the save folder " + saveFolder + ": " + e.getMessage());
        }
    }

    /** {@code relative} ('/'-separated) under {@code realRoot}, refused if any component or link leads elsewhere. */
    private static Path inside(Path realRoot, String relative) throws OpenRefusedException {
        Path p = realRoot;
        for (String component : relative.split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..") || component.indexOf('\\') >= 0
                    || component.indexOf('\0') >= 0) {
                throw outside(relative);
            }
            try {
                p = p.resolve(component);
            } catch (InvalidPathException e) {
                throw outside(relative);
            }
        }
        if (!p.normalize().startsWith(realRoot)) {
            throw outside(relative);
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.exists(p)) {
            try {
                if (!p.toRealPath().startsWith(realRoot)) {
                    throw outside(relative); // a symbolic link on the way points out of the save folder
                }
            } catch (IOException e) {
                throw new OpenRefusedException(OpenRefusedException.NOT_FOUND, "cannot read " + p + ": " + e.getMessage());
            }
        }
        return p;
    }

    private static OpenRefusedException outside(String relative) {
        return new OpenRefusedException(OpenRefusedException.OUTSIDE, "refused to open \"" + relative + "\": it is not inside the torrent's save folder");
    }

    /** Why a path is not opened; {@link #code} is the native error code. */
    static final class OpenRefusedException extends Exception {
        static final String NOT_FOUND = "PATH_NOT_FOUND";
        static final String OUTSIDE = "PATH_OUTSIDE_TORRENT";

        private final String code;

        OpenRefusedException(String code, String message) {
            super(message);
            this.code = code;
        }

        String code() {
            return code;
        }
    }
}
