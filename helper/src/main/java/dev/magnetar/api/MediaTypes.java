package dev.magnetar.api;

import java.util.Locale;
import java.util.Map;

/**
 * The Content-Type of a torrent's file by its extension, and whether a browser's media element is
 * likely to decode it. Jetty's own table lacks most media types (mkv, opus, flac, m4a), so the common
 * ones are listed here (IANA media types; Matroska's is not registered, browsers expect
 * {@code video/x-matroska}).
 */
final class MediaTypes {

    static final String OCTET_STREAM = "application/octet-stream";

    /** extension → media type, and whether Chromium and Firefox play it in a {@code <video>}/{@code <audio>}. */
    private record Type(String mediaType, boolean playable) {}

    private static final Map<String, Type> BY_EXTENSION = Map.ofEntries(
            Map.entry("mp4", new Type("video/mp4", true)),
            Map.entry("m4v", new Type("video/mp4", true)),
            Map.entry("webm", new Type("video/webm", true)),
            Map.entry("mkv", new Type("video/x-matroska", false)),
            Map.entry("avi", new Type("video/x-msvideo", false)),
            Map.entry("mov", new Type("video/quicktime", false)),
            Map.entry("mp3", new Type("audio/mpeg", true)),
            Map.entry("m4a", new Type("audio/mp4", true)),
            Map.entry("ogg", new Type("audio/ogg", true)),
            Map.entry("oga", new Type("audio/ogg", true)),
            Map.entry("ogv", new Type("video/ogg", true)),
            Map.entry("opus", new Type("audio/ogg", true)),
            Map.entry("flac", new Type("audio/flac", true)),
            Map.entry("wav", new Type("audio/wav", true)));

    private MediaTypes() {}

    static String contentType(String fileName) {
        Type t = BY_EXTENSION.get(extension(fileName));
        return t == null ? OCTET_STREAM : t.mediaType();
    }

    /** Audio or video by its extension, whether or not a browser decodes it. */
    static boolean isMedia(String fileName) {
        return BY_EXTENSION.containsKey(extension(fileName));
    }

    static boolean playable(String fileName) {
        Type t = BY_EXTENSION.get(extension(fileName));
        return t != null && t.playable();
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
