package dev.magnetar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `magnetar install` / `magnetar uninstall` in-process, for a throwaway home (never the real one). */
class InstallCommandTest {

    @TempDir
    Path tmp;

    Path home;
    Path jar;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve(".config/chromium")); // the one browser this "user" has
        jar = Files.write(tmp.resolve("magnetar.jar"), new byte[] {'P', 'K'});
    }

    private Run run(Callable<Integer> command, String... args) {
        CommandLine cli = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private InstallCommand install() {
        InstallCommand c = new InstallCommand();
        c.env = Map.of(); // no PATH, no XDG_*: only the throwaway home decides
        return c;
    }

    private UninstallCommand uninstall() {
        UninstallCommand c = new UninstallCommand();
        c.env = Map.of();
        return c;
    }

    @Test
    void dryRunPrintsTheStepsAndChangesNothing() {
        Set<String> before = listing(home);

        Run dry = run(install(), "--dry-run", "--autostart", "--home", home.toString(), "--jar", jar.toString());

        assertEquals(0, dry.exit(), dry.err());
        assertEquals(before, listing(home));
        assertTrue(dry.out().contains("Dry run (nothing changed). Installing for chromium would:"), dry.out());
        assertTrue(dry.out().contains(home.resolve(".config/chromium/NativeMessagingHosts/dev.magnetar.helper.json").toString()), dry.out());
        assertTrue(dry.out().contains("systemd user unit"), dry.out());
    }

    @Test
    void installsForDetectedBrowsersAndUninstallDryRunThenUninstallRestoreTheHome() {
        Set<String> before = listing(home);

        Run installed = run(install(), "--home", home.toString(), "--jar", jar.toString());
        assertEquals(0, installed.exit(), installed.err());
        assertTrue(Files.exists(home.resolve(".config/chromium/NativeMessagingHosts/dev.magnetar.helper.json")));
        assertFalse(Files.exists(home.resolve(".mozilla")), "Firefox was not detected, so not registered");
        assertTrue(installed.out().contains("uninstall"), installed.out());

        Set<String> installedListing = listing(home);
        Run dry = run(uninstall(), "--dry-run", "--home", home.toString());
        assertEquals(0, dry.exit(), dry.err());
        assertEquals(installedListing, listing(home));
        assertTrue(dry.out().contains("delete " + home.resolve(".local/share/magnetar/app/magnetar.jar")), dry.out());

        Run removed = run(uninstall(), "--home", home.toString());
        assertEquals(0, removed.exit(), removed.err());
        assertEquals(before, listing(home));
    }

    @Test
    void theMagnetarCommandIsLinkedIntoLocalBinAndTheOutputSaysWhetherThatIsOnPath() throws IOException {
        InstallCommand c = install();
        c.env = Map.of("PATH", "/usr/bin:" + home.resolve(".local/bin"));
        Run installed = run(c, "--home", home.toString(), "--jar", jar.toString());
        assertEquals(0, installed.exit(), installed.err());
        Path link = home.resolve(".local/bin/magnetar");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(home.resolve(".local/share/magnetar/app/bin/magnetar"), Files.readSymbolicLink(link));
        assertTrue(Files.isExecutable(link), "the link leads to the executable launcher");
        assertTrue(installed.out().contains("The magnetar command is on your PATH (" + link + ")"), installed.out());

        Run removed = run(uninstall(), "--home", home.toString());
        assertEquals(0, removed.exit(), removed.err());
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), "uninstall removes the link");

        Run offPath = run(install(), "--home", home.toString(), "--jar", jar.toString());
        assertTrue(offPath.out().contains("The magnetar command is " + link + "; " + home.resolve(".local/bin") + " is not on your PATH yet"),
                offPath.out());
    }

    /** Java's user.home comes from the password database; a HOME the user set is where they expect things. */
    @Test
    void withoutHomeOptionTheEnvironmentsHomeIsUsedNotUserHome() {
        InstallCommand c = install();
        c.env = Map.of("HOME", home.toString());
        Run dry = run(c, "--dry-run", "--browser", "chromium", "--jar", jar.toString());
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains(home.resolve(".config/chromium/NativeMessagingHosts/dev.magnetar.helper.json").toString()), dry.out());
        assertTrue(dry.out().contains(home.resolve(".local/share/magnetar/app/magnetar.jar").toString()), dry.out());
        assertFalse(dry.out().contains(System.getProperty("user.home") + "/.config"), dry.out());
    }

    @Test
    void explicitBrowsersWinOverDetectionAndUnknownOnesAreRefused() {
        Run both = run(install(), "--browser", "firefox,vivaldi", "--home", home.toString(), "--jar", jar.toString(), "--dry-run");
        assertEquals(0, both.exit(), both.err());
        assertTrue(both.out().contains("Installing for vivaldi, firefox would:"), both.out());
        assertFalse(both.out().contains(".config/chromium"), both.out());

        Run bad = run(install(), "--browser", "netscape", "--home", home.toString(), "--jar", jar.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("unknown browser 'netscape': use one of chrome, chromium, edge, brave, vivaldi, firefox"), bad.err());
    }

    @Test
    void withNoBrowserFoundItSaysHowToNameOne() throws IOException {
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        Run none = run(install(), "--home", bare.toString(), "--jar", jar.toString());
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("no supported browser found") && none.err().contains("--browser"), none.err());
        assertEquals(Set.of(), listing(bare));
    }

    @Test
    void uninstallWithoutAnInstallSaysSo() {
        Run r = run(uninstall(), "--home", home.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no install receipt"), r.err());
    }

    private static Set<String> listing(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            Set<String> out = new TreeSet<>();
            all.forEach(p -> out.add(root.relativize(p).toString()));
            out.remove("");
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
