package dev.magnetar.webseed;

import java.net.URI;

/**
 * Bytes of one file as a web seed serves them: {@code length} bytes at {@code offset} of the file at
 * {@code url}; a BEP 47 pad file ({@code padding}) has no URL — its bytes are zeros, never fetched.
 */
public record FileRange(URI url, long offset, int length, boolean padding) {

    public FileRange {
        if (offset < 0 || length <= 0 || (url == null) != padding) {
            throw new IllegalArgumentException("bad file range " + url + "@" + offset + "+" + length);
        }
    }
}
