package dev.magnetar.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's home and Downloads folders as the user's own programs see them. Java's {@code user.home}
 * comes from the password database and ignores {@code $HOME}: a user (or a test, or {@code sudo -E})
 * that set another HOME would find Magnetar writing somewhere else. On Linux and macOS {@code $HOME}
 * wins when it is an absolute path; Downloads follows the XDG user-dirs setting ({@code
 * XDG_DOWNLOAD_DIR}, as the desktop's file manager and browsers do).
 *
 * @param env the environment to read ({@code System.getenv()} outside tests)
 * @param osName {@code os.name}
 * @param userHome {@code user.home}, the fallback
 */
public record UserDirectories(Map<String, String> env, String osName, String userHome) {

    /** A line of xdg-user-dirs' {@code user-dirs.dirs}: {@code XDG_DOWNLOAD_DIR="$HOME/Downloads"}. */
    private static final Pattern DOWNLOAD_LINE = Pattern.compile("^\\s*XDG_DOWNLOAD_DIR\\s*=\\s*\"([^\"]*)\"\\s*$", Pattern.MULTILINE);

    public UserDirectories {
        env = Map.copyOf(env);
    }

    public static UserDirectories current() {
        return new UserDirectories(System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home"));
    }

    private boolean windows() {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    public Path home() {
        String home = env.get("HOME");
        if (!windows() && home != null && home.startsWith("/")) {
            return Path.of(home);
        }
        return Path.of(userHome);
    }

    /**
     * Where downloads go by default: {@code $XDG_DOWNLOAD_DIR}, else its line in {@code
     * $XDG_CONFIG_HOME/user-dirs.dirs} (a value relative to {@code $HOME} is written {@code "$HOME/…"}),
     * else {@code ~/Downloads}.
     */
    public Path downloads() {
        if (!windows()) {
            String direct = env.get("XDG_DOWNLOAD_DIR");
            if (direct != null && direct.startsWith("/")) {
                return Path.of(direct);
            }
            Path fromFile = downloadsFromUserDirsFile();
            if (fromFile != null) {
                return fromFile;
            }
        }
        return home().resolve("Downloads");
    }

    private Path downloadsFromUserDirsFile() {
        String configHome = env.get("XDG_CONFIG_HOME");
        Path config = configHome != null && configHome.startsWith("/") ? Path.of(configHome) : home().resolve(".config");
        Path file = config.resolve("user-dirs.dirs");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // no such file is the common case: the ~/Downloads default
        }
        Matcher m = DOWNLOAD_LINE.matcher(text);
        if (!m.find()) {
            return null;
        }
        String value = m.group(1);
        if (value.equals("$HOME") || value.equals("$HOME/")) {
            return null; // xdg-user-dirs writes this when the folder is switched off: keep our own default
        }
        if (value.startsWith("$HOME/")) {
            return home().resolve(value.substring("$HOME/".length()));
        }
        return value.startsWith("/") ? Path.of(value) : null;
    }
}
