package dev.magnetar.packaging;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The application icon in each system's container format, made from the one PNG the extension ships
 * (extension/src/icons/icon-128.png). Both containers may simply hold a PNG: ICO since Windows Vista
 * (an ICONDIRENTRY whose image data is a PNG stream), ICNS with the {@code ic07} (128×128 PNG) element.
 */
public final class Icons {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Icons() {}

    public enum Format { ICO, ICNS }

    public static byte[] convert(byte[] png, Format format) {
        return format == Format.ICO ? ico(png) : icns(png);
    }

    /** Width and height from the PNG's IHDR chunk (the first chunk, by the PNG spec). */
    public record PngSize(int width, int height) {}

    public static PngSize pngSize(byte[] png) {
        if (png.length < 24 || !Arrays.equals(Arrays.copyOf(png, 8), PNG_SIGNATURE)
                || !new String(png, 12, 4, StandardCharsets.US_ASCII).equals("IHDR")) {
            throw new IllegalArgumentException("not a PNG file (no PNG signature and IHDR chunk)");
        }
        ByteBuffer b = ByteBuffer.wrap(png).order(ByteOrder.BIG_ENDIAN);
        return new PngSize(b.getInt(16), b.getInt(20));
    }

    /** A one-image .ico: ICONDIR, one ICONDIRENTRY, the PNG. All fields little-endian. */
    public static byte[] ico(byte[] png) {
        PngSize size = pngSize(png);
        if (size.width() > 256 || size.height() > 256) {
            throw new IllegalArgumentException("an ICO image is at most 256×256, this PNG is " + size.width() + "×" + size.height());
        }
        ByteBuffer b = ByteBuffer.allocate(6 + 16 + png.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).putShort((short) 1).putShort((short) 1); // reserved, type 1 = icon, one image
        b.put((byte) (size.width() & 0xff)).put((byte) (size.height() & 0xff)); // 0 means 256
        b.put((byte) 0).put((byte) 0); // no palette, reserved
        b.putShort((short) 1).putShort((short) 32); // colour planes, bits per pixel
        b.putInt(png.length).putInt(6 + 16);
        b.put(png);
        return b.array();
    }

    /** A one-element .icns: "icns", total length, then "ic07" (128×128 PNG), its length, the PNG. Big-endian. */
    public static byte[] icns(byte[] png) {
        PngSize size = pngSize(png);
        if (size.width() != 128 || size.height() != 128) {
            throw new IllegalArgumentException("the ic07 element holds a 128×128 PNG, this one is " + size.width() + "×" + size.height());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        header.put("icns".getBytes(StandardCharsets.US_ASCII)).putInt(16 + png.length);
        header.put("ic07".getBytes(StandardCharsets.US_ASCII)).putInt(8 + png.length);
        out.writeBytes(header.array());
        out.writeBytes(png);
        return out.toByteArray();
    }
}
