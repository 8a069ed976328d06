package dev.magnetar.api;

import java.io.IOException;

/** Opens a local file or a URL with the operating system's default application ("open in your player"). */
@FunctionalInterface
public interface FileOpener {

    /** @param target an absolute file path or an http URL */
    void open(String target) throws IOException;
}
