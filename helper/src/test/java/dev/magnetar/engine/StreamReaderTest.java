package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamReaderTest {

    private static final StreamableFile FILM = new StreamableFile("aa".repeat(20), 0, "film.mp4", 1L << 30, Path.of("film.mp4"), false);

    @Test
    void theNewestRequestOutranksAnOlderOneThatKeepsReadingAfterIt() {
        StreamReader fromTheStart = new StreamReader(FILM, 0, 0);
        StreamReader seek = new StreamReader(FILM, 1, 0);
        seek.position = 800L << 20;
        fromTheStart.position = 3L << 20; // a piece arrived and the old request, not dropped yet, read it
        assertEquals(List.of(seek, fromTheStart), StreamReader.byUrgency(List.of(fromTheStart, seek)));
        fromTheStart.waited = true;
        seek.waited = true;
        assertEquals(List.of(seek, fromTheStart), StreamReader.byUrgency(List.of(fromTheStart, seek)), "both waited for pieces");
    }

    @Test
    void aNewerRequestServedOnlyFromVerifiedPiecesDoesNotTakeTheLeadFromOneWaitingForItsPiece() {
        StreamReader seek = new StreamReader(FILM, 0, 0);
        seek.position = 800L << 20;
        seek.waited = true;
        StreamReader header = new StreamReader(FILM, 1, 0); // the player reads the file's first bytes again
        header.position = 0;
        assertEquals(List.of(seek, header), StreamReader.byUrgency(List.of(header, seek)));
        header.position = 2L << 20;
        header.waited = true; // it read on into a piece not here yet: now it reads where the download is
        assertEquals(List.of(header, seek), StreamReader.byUrgency(List.of(seek, header)));
    }
}
