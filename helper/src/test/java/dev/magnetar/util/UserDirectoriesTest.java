package dev.magnetar.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirectoriesTest {

    @TempDir
    Path root;

    @Test
    void homeIsTheEnvironmentsHomeNotThePasswordDatabases() {
        assertEquals(Path.of("/tmp/someone"), new UserDirectories(Map.of("HOME", "/tmp/someone"), "Linux", "/root").home());
        assertEquals(Path.of("/root"), new UserDirectories(Map.of(), "Linux", "/root").home(), "no HOME: user.home");
        assertEquals(Path.of("/root"), new UserDirectories(Map.of("HOME", "relative"), "Linux", "/root").home(), "a relative HOME is ignored");
        assertEquals(Path.of("/Users/a"), new UserDirectories(Map.of("HOME", "/Users/a"), "Mac OS X", "/var/root").home());
    }

    @Test
    void downloadsFollowXdgUserDirs() throws Exception {
        Path home = root.resolve("home");
        Path config = home.resolve(".config");
        Files.createDirectories(config);
        Map<String, String> env = Map.of("HOME", home.toString());
        assertEquals(home.resolve("Downloads"), new UserDirectories(env, "Linux", "/root").downloads(), "no user-dirs.dirs");

        Files.writeString(config.resolve("user-dirs.dirs"), "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\n"
                + "XDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n");
        assertEquals(home.resolve("Téléchargements"), new UserDirectories(env, "Linux", "/root").downloads());

        Files.writeString(config.resolve("user-dirs.dirs"), "XDG_DOWNLOAD_DIR=\"/data/incoming\"\n");
        assertEquals(Path.of("/data/incoming"), new UserDirectories(env, "Linux", "/root").downloads());

        Files.writeString(config.resolve("user-dirs.dirs"), "XDG_DOWNLOAD_DIR=\"$HOME/\"\n");
        assertEquals(home.resolve("Downloads"), new UserDirectories(env, "Linux", "/root").downloads(), "switched off: our default");

        assertEquals(Path.of("/mnt/dl"), new UserDirectories(Map.of("HOME", home.toString(), "XDG_DOWNLOAD_DIR", "/mnt/dl"), "Linux", "/root").downloads());
    }

    @Test
    void xdgConfigHomeSaysWhereUserDirsLives() throws Exception {
        Path other = root.resolve("elsewhere");
        Files.createDirectories(other);
        Files.writeString(other.resolve("user-dirs.dirs"), "XDG_DOWNLOAD_DIR=\"$HOME/dl\"\n");
        UserDirectories dirs = new UserDirectories(Map.of("HOME", "/h", "XDG_CONFIG_HOME", other.toString()), "Linux", "/root");
        assertEquals(Path.of("/h/dl"), dirs.downloads());
    }
}
