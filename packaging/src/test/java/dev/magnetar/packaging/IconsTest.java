package dev.magnetar.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IconsTest {

    /** The extension's own icon: the one picture every package's icon is made from. */
    private static byte[] png() throws Exception {
        return Files.readAllBytes(Path.of("..", "extension", "src", "icons", "icon-128.png"));
    }

    @Test
    void theIconIs128PixelsSquare() throws Exception {
        assertEquals(new Icons.PngSize(128, 128), Icons.pngSize(png()));
    }

    @Test
    void theIcoHoldsOnePngEntryWithItsSizeAndOffset() throws Exception {
        byte[] png = png();
        ByteBuffer ico = ByteBuffer.wrap(Icons.ico(png)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, ico.getShort(0));
        assertEquals(1, ico.getShort(2), "type 1: icon");
        assertEquals(1, ico.getShort(4), "one image");
        assertEquals(128, ico.get(6) & 0xff);
        assertEquals(128, ico.get(7) & 0xff);
        assertEquals(32, ico.getShort(12), "bits per pixel");
        assertEquals(png.length, ico.getInt(14));
        assertEquals(22, ico.getInt(18));
        assertArrayEquals(png, Arrays.copyOfRange(ico.array(), 22, ico.capacity()));
    }

    @Test
    void theIcnsHoldsThe128PixelPngElement() throws Exception {
        byte[] png = png();
        byte[] icns = Icons.icns(png);
        ByteBuffer b = ByteBuffer.wrap(icns).order(ByteOrder.BIG_ENDIAN);
        assertEquals("icns", new String(icns, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(icns.length, b.getInt(4));
        assertEquals("ic07", new String(icns, 8, 4, StandardCharsets.US_ASCII));
        assertEquals(8 + png.length, b.getInt(12));
        assertArrayEquals(png, Arrays.copyOfRange(icns, 16, icns.length));
    }

    @Test
    void somethingThatIsNotAPngIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Icons.ico("GIF89a....".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("not a PNG file (no PNG signature and IHDR chunk)", e.getMessage());
    }
}
