package dev.magnetar.engine;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.Bitfield;
import dev.magnetar.storage.TorrentStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/** {@link FileStreaming} over the engine's torrents: finds the torrent and file, then leaves the rest to its {@link TorrentStreams}. */
final class EngineFileStreaming implements FileStreaming {

    private static final Pattern V1_HASH = Pattern.compile("[0-9a-fA-F]{40}");

    private final Engine engine;

    EngineFileStreaming(Engine engine) {
        this.engine = engine;
    }

    @Override
    public StreamableFile streamableFile(String infoHashHex, int fileIndex)
            throws TorrentNotFoundException, NoSuchFileInTorrentException, MetadataNotKnownException {
        Torrent t = torrent(infoHashHex);
        return describe(t, infoOf(t), fileIndex);
    }

    @Override
    public FileStream openStream(String infoHashHex, int fileIndex)
            throws TorrentNotFoundException, NoSuchFileInTorrentException, MetadataNotKnownException {
        Torrent t = torrent(infoHashHex);
        StreamableFile file = describe(t, infoOf(t), fileIndex);
        TorrentStorage storage = t.storage();
        if (storage != null && storage.filePriority(fileIndex) == FilePriority.SKIP) {
            t.setFilePriority(fileIndex, FilePriority.NORMAL);
        }
        try {
            return t.streams().open(file).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorrentNotFoundException(t.infoHash().hex());
        } catch (ExecutionException e) {
            throw new TorrentNotFoundException(t.infoHash().hex()); // the torrent closed meanwhile
        }
    }

    @Override
    public void prepareStream(String infoHashHex, int fileIndex)
            throws TorrentNotFoundException, NoSuchFileInTorrentException, MetadataNotKnownException {
        Torrent t = torrent(infoHashHex);
        t.streams().expect(describe(t, infoOf(t), fileIndex));
    }

    @Override
    public StreamProgress streamProgress(String infoHashHex, int fileIndex)
            throws TorrentNotFoundException, NoSuchFileInTorrentException, MetadataNotKnownException {
        Torrent t = torrent(infoHashHex);
        TorrentInfo info = infoOf(t);
        describe(t, info, fileIndex);
        TorrentFile f = info.files().get(fileIndex);
        TorrentStorage storage = t.storage();
        Bitfield verified = storage == null ? new Bitfield(info.pieceCount()) : storage.verified().copy();
        List<long[]> ranges = new ArrayList<>();
        long[] open = null;
        FilePieceMap map = new FilePieceMap(info);
        for (int p = map.firstPiece(fileIndex); p < map.endPiece(fileIndex); p++) {
            if (!verified.has(p)) {
                open = null;
                continue;
            }
            long start = Math.max(0, (long) p * info.pieceLength() - f.offset());
            long end = Math.min(f.length(), (long) p * info.pieceLength() + info.pieceSize(p) - f.offset());
            if (open != null && open[1] == start) {
                open[1] = end;
            } else {
                open = new long[] {start, end};
                ranges.add(open);
            }
        }
        long position = t.streams().lastPosition(fileIndex);
        long ahead = 0;
        if (position >= 0) {
            for (long[] r : ranges) {
                if (r[0] <= position && position < r[1]) {
                    ahead = r[1] - position;
                }
            }
        }
        return new StreamProgress(ranges, ahead, t.downloadRate(), t.peerCount(), t.state());
    }

    private Torrent torrent(String infoHashHex) throws TorrentNotFoundException {
        if (infoHashHex == null || !V1_HASH.matcher(infoHashHex).matches()) {
            throw new TorrentNotFoundException(String.valueOf(infoHashHex));
        }
        return engine.torrent(InfoHash.fromHex(infoHashHex.toLowerCase(Locale.ROOT)))
                .orElseThrow(() -> new TorrentNotFoundException(infoHashHex));
    }

    private static TorrentInfo infoOf(Torrent t) throws MetadataNotKnownException {
        TorrentInfo info = t.info();
        if (info == null) {
            throw new MetadataNotKnownException(t.infoHash().hex());
        }
        return info;
    }

    private static StreamableFile describe(Torrent t, TorrentInfo info, int fileIndex) throws NoSuchFileInTorrentException {
        if (fileIndex < 0 || fileIndex >= info.files().size() || info.files().get(fileIndex).padding()) {
            throw new NoSuchFileInTorrentException(t.infoHash().hex(), fileIndex);
        }
        TorrentFile f = info.files().get(fileIndex);
        TorrentStorage storage = t.storage();
        long done = storage == null ? 0 : new FilePieceMap(info).doneBytes(fileIndex, storage.verified().copy());
        return new StreamableFile(t.infoHash().hex(), fileIndex, f.displayPath(), f.length(), f.resolveIn(t.downloadDir()),
                done == f.length());
    }
}
