package dev.magnetar.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP byte range (RFC 9110 §14.1.2) resolved against a representation of {@code size} bytes.
 * Jetty's {@code ByteRange.parse} answers "nothing" both for a malformed header and for a range past
 * the end, but the two need different answers: a malformed or multi-range header is ignored (200 with
 * the whole file, as §14.2 allows), a range that starts past the end is 416.
 */
record ByteRangeRequest(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    enum Kind { WHOLE, RANGE, UNSATISFIABLE }

    /** What a Range header means for a file of {@code size} bytes. */
    record Resolved(Kind kind, ByteRangeRequest range) {}

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    static Resolved resolve(String header, long size) {
        if (header == null) {
            return new Resolved(Kind.WHOLE, null);
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return new Resolved(Kind.WHOLE, null);
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2)); // bytes=-N: the last N bytes
            if (suffix == 0 || size == 0) {
                return new Resolved(Kind.UNSATISFIABLE, null);
            }
            return new Resolved(Kind.RANGE, new ByteRangeRequest(Math.max(0, size - suffix), size - 1));
        }
        long first = Long.parseLong(m.group(1));
        if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
            return new Resolved(Kind.WHOLE, null); // invalid: ignored (§14.1.1)
        }
        if (first >= size) {
            return new Resolved(Kind.UNSATISFIABLE, null);
        }
        long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
        return new Resolved(Kind.RANGE, new ByteRangeRequest(first, Math.min(last, size - 1)));
    }
}
