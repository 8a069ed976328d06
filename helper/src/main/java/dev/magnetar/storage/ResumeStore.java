package dev.magnetar.storage;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.util.AtomicFiles;
import dev.magnetar.util.BoundedFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resume files, one per torrent: {@code <resumeDir>/<info-hash hex>.resume}, bencoded
 * ({@link ResumeDataCodec}), replaced atomically (temp + fsync + rename via {@link AtomicFiles}) so
 * a crash leaves either the previous or the new file. Owner-only (0600): the list of what someone
 * downloads is private.
 */
public final class ResumeStore {

    private static final String SUFFIX = ".resume";
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{40}\\.resume");
    /** A resume file is small (bitfield + info dict); anything far bigger is not ours. */
    private static final long MAX_FILE_BYTES = 256L << 20;

    private final Path dir;

    public ResumeStore(Path resumeDir) {
        this.dir = resumeDir.toAbsolutePath().normalize();
    }

    public Path fileFor(InfoHash infoHash) {
        return dir.resolve(infoHash.hex() + SUFFIX);
    }

    public void save(ResumeData data) throws StorageException {
        Path file = fileFor(data.infoHash());
        try {
            AtomicFiles.writePrivate(file, ResumeDataCodec.encode(data));
        } catch (IOException e) {
            throw StorageErrors.from(e, "saving resume data to", file, dir);
        }
    }

    /**
     * The stored resume data of {@code infoHash}, or empty if there is none.
     *
     * @throws ResumeDataException the file exists but cannot be trusted: treat it as absent
     */
    public Optional<ResumeData> load(InfoHash infoHash) throws ResumeDataException {
        Path file = fileFor(infoHash);
        byte[] bytes;
        try {
            bytes = BoundedFiles.readAll(file, MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (BoundedFiles.FileTooLargeException e) {
            throw new ResumeDataException(file + " is implausibly large (" + e.atLeastBytes() + " bytes)");
        } catch (IOException e) {
            throw new ResumeDataException("cannot read " + file + ": " + e, e);
        }
        ResumeData data = ResumeDataCodec.decode(bytes);
        if (!data.infoHash().equals(infoHash)) {
            throw new ResumeDataException(file + " belongs to torrent " + data.infoHash());
        }
        return Optional.of(data);
    }

    public void delete(InfoHash infoHash) throws StorageException {
        Path file = fileFor(infoHash);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw StorageErrors.from(e, "deleting resume data", file, dir);
        }
    }

    /** Info-hashes with a resume file, so a restarted helper can bring its torrents back. */
    public List<InfoHash> stored() throws StorageException {
        List<InfoHash> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (NAME.matcher(name).matches()) {
                    out.add(InfoHash.fromHex(name.substring(0, 40)));
                }
            }
        } catch (IOException e) {
            throw StorageErrors.from(e, "listing resume data in", dir, dir);
        }
        return out;
    }
}
