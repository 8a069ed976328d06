package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the daemon's {@link SettingsStore#saveCurrent()} at every start does to the file. */
class SettingsStoreStartTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatAlreadySaysTheCurrentSettingsIsNotWrittenAgain() throws Exception {
        Path file = SettingsStore.defaultFile(dir);
        SettingsStore.open(file, Settings.defaults(dir.resolve("Downloads"))).saveCurrent();
        Object written = Files.getAttribute(file, "unix:ino");

        SettingsStore.open(file, Settings.defaults(dir.resolve("Downloads"))).saveCurrent();

        // An atomic write renames a new file into place: the same inode means no write, no fsync.
        assertEquals(written, Files.getAttribute(file, "unix:ino"));
    }

    @Test
    void aFileThatSaysSomethingElseIsWrittenAfresh() throws Exception {
        Path file = SettingsStore.defaultFile(dir);
        Settings defaults = Settings.defaults(dir.resolve("Downloads"));
        // The same settings with the ask as a user may type it: the daemon keeps its canonical form.
        Settings typed = new Settings(defaults.downloadDir(), defaults.quitWithBrowser(), defaults.listenPort(), defaults.network(),
                defaults.devnetPort(), defaults.extensionIds(), defaults.downloadBytesPerSecond(), defaults.uploadBytesPerSecond(),
                defaults.chainEndpoint(), "0.50", defaults.seedRatioLimit(), defaults.seedingTimeLimitMinutes(), defaults.portMapping(), defaults.utp());
        Files.write(file, Json.mapper().writeValueAsBytes(typed));
        Object before = Files.getAttribute(file, "unix:ino");

        SettingsStore.open(file, defaults).saveCurrent();

        assertNotEquals(before, Files.getAttribute(file, "unix:ino"));
        String now = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(now.contains("\"0.5\"") && !now.contains("0.50"), now);
    }

    @Test
    void aFileWrittenBeforeTheUtpSettingExistedHasItOnAndTheEngineFollowsTheSetting() throws Exception {
        Path file = SettingsStore.defaultFile(dir);
        com.fasterxml.jackson.databind.node.ObjectNode older = Json.mapper().valueToTree(Settings.defaults(dir.resolve("Downloads")));
        older.remove("utp");
        Files.write(file, Json.mapper().writeValueAsBytes(older));

        Settings s = SettingsStore.open(file, Settings.defaults(dir.resolve("Downloads"))).get();

        assertTrue(s.utp(), "uTP is on by default, also for an older file");
        assertTrue(dev.magnetar.daemon.EngineLauncher.settingsFor(dir, s).utp());
        Settings off = new Settings(s.downloadDir(), s.quitWithBrowser(), s.listenPort(), s.network(), s.devnetPort(),
                s.extensionIds(), s.downloadBytesPerSecond(), s.uploadBytesPerSecond(), s.chainEndpoint(), s.askPerGiBBtt(),
                s.seedRatioLimit(), s.seedingTimeLimitMinutes(), s.portMapping(), false);
        org.junit.jupiter.api.Assertions.assertFalse(dev.magnetar.daemon.EngineLauncher.settingsFor(dir, off).utp(),
                "the daemon's engine follows the setting");
    }
}
