package dev.magnetar.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedFilesTest {

    @Test
    void aFileAtTheCapIsReadWhole(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("at-cap"), new byte[] {1, 2, 3, 4});

        assertArrayEquals(new byte[] {1, 2, 3, 4}, BoundedFiles.readAll(file, 4));
    }

    @Test
    void aFileOneByteOverTheCapIsRefusedWithItsSize(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("over-cap"), new byte[5]);

        BoundedFiles.FileTooLargeException e = assertThrows(BoundedFiles.FileTooLargeException.class,
                () -> BoundedFiles.readAll(file, 4));

        assertEquals(5, e.atLeastBytes());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aMissingFileIsReportedAsMissingNotAsUnreadable(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> BoundedFiles.readAll(dir.resolve("absent"), 4));
    }
}
