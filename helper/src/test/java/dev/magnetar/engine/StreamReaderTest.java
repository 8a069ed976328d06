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
    }
}
