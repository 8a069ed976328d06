package dev.magnetar.api;

import dev.magnetar.engine.RateLimiter;
import dev.magnetar.engine.RateLimits;
import dev.magnetar.engine.SeedingGoal;
import dev.magnetar.util.AtomicFiles;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.InvalidAmountException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** Reads and atomically rewrites {@code <data>/settings.json}; validates every change. */
public final class SettingsStore {

    /** host:port, host a name, an IPv4 address or a bracketed IPv6 address; what gRPC's target takes. */
    private static final Pattern ENDPOINT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):([1-9][0-9]{0,4})");

    private final Path file;
    private final CopyOnWriteArrayList<Consumer<Settings>> listeners = new CopyOnWriteArrayList<>();
    private Settings current; // guarded by this

    private SettingsStore(Path file, Settings initial) {
        this.file = file;
        this.current = initial;
    }

    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve("settings.json");
    }

    /** Loads the file, or the defaults when there is none; a damaged file is an error naming the file. */
    public static SettingsStore open(Path file, Settings defaults) throws SettingsException {
        if (!Files.exists(file)) {
            return new SettingsStore(file, defaults);
        }
        try {
            Settings loaded = SettingsJson.read(Files.readAllBytes(file));
            validate(loaded);
            return new SettingsStore(file, withCanonicalAsk(loaded));
        } catch (IOException e) {
            throw new SettingsException("settings file " + file + " is unreadable (" + e.getMessage()
                    + "); fix it or move it aside to start from the defaults", e);
        }
    }

    public synchronized Settings get() {
        return current;
    }

    public void addListener(Consumer<Settings> listener) {
        listeners.add(listener);
    }

    /** Applies the non-null fields, validates, persists, then tells listeners. */
    public Settings update(SettingsUpdate change) throws SettingsException {
        Settings next;
        synchronized (this) {
            Settings s = current;
            next = new Settings(
                    change.downloadDir() != null ? change.downloadDir() : s.downloadDir(),
                    change.quitWithBrowser() != null ? change.quitWithBrowser() : s.quitWithBrowser(),
                    change.listenPort() != null ? change.listenPort() : s.listenPort(),
                    change.network() != null ? change.network().toLowerCase(Locale.ROOT) : s.network(),
                    s.devnetPort(), s.extensionIds(),
                    change.downloadBytesPerSecond() != null ? change.downloadBytesPerSecond() : s.downloadBytesPerSecond(),
                    change.uploadBytesPerSecond() != null ? change.uploadBytesPerSecond() : s.uploadBytesPerSecond(),
                    change.chainEndpoint() != null ? change.chainEndpoint() : s.chainEndpoint(),
                    change.askPerGiBBtt() != null ? change.askPerGiBBtt() : s.askPerGiBBtt(),
                    change.seedRatioLimit() != null ? change.seedRatioLimit() : s.seedRatioLimit(),
                    change.seedingTimeLimitMinutes() != null ? change.seedingTimeLimitMinutes() : s.seedingTimeLimitMinutes(),
                    change.portMapping() != null ? change.portMapping() : s.portMapping(),
                    change.utp() != null ? change.utp() : s.utp());
            validate(next);
            if (change.downloadDir() != null && !change.downloadDir().equals(s.downloadDir())) {
                requireExistingFolder(next.downloadDir());
            }
            next = withCanonicalAsk(next);
            save(next);
            current = next;
        }
        for (Consumer<Settings> l : listeners) {
            l.accept(next);
        }
        return next;
    }

    /**
     * Writes the current settings so the user finds a file to edit, unless the file already says exactly
     * that: the daemon calls this at every start, and an atomic write's fsync is start-up time (tens of
     * milliseconds on a busy disk) spent before the API answers.
     */
    public synchronized void saveCurrent() throws SettingsException {
        try {
            if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), encode(current))) {
                return;
            }
        } catch (IOException e) { // unreadable now: writing it afresh says why, if it still fails
            LoggerFactory.getLogger(SettingsStore.class).debug("rewriting {}: {}", file, e.toString());
        }
        save(current);
    }

    /** Streaming, not data binding: no {@code ObjectMapper} before the API answers ({@link SettingsJson} says why). */
    private static byte[] encode(Settings s) throws IOException {
        return SettingsJson.write(s);
    }

    private void save(Settings s) throws SettingsException {
        try {
            AtomicFiles.write(file, encode(s));
        } catch (IOException e) {
            throw new SettingsException("cannot save settings to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The ask as the API prints amounts ("0.50" and ".5" are both "0.5"). */
    private static Settings withCanonicalAsk(Settings s) throws SettingsException {
        return new Settings(s.downloadDir(), s.quitWithBrowser(), s.listenPort(), s.network(), s.devnetPort(), s.extensionIds(),
                s.downloadBytesPerSecond(), s.uploadBytesPerSecond(), s.chainEndpoint(), BttAmount.formatBtt(askPerGiB(s)),
                s.seedRatioLimit(), s.seedingTimeLimitMinutes(), s.portMapping(), s.utp());
    }

    private static boolean validEndpoint(String endpoint) {
        Matcher m = ENDPOINT.matcher(endpoint);
        return m.matches() && Integer.parseInt(m.group(2)) <= 65535;
    }

    /** The seller's ask in BTT base units per GiB. */
    public static BigInteger askPerGiB(Settings s) throws SettingsException {
        try {
            return BttAmount.parseBtt(s.askPerGiBBtt());
        } catch (InvalidAmountException e) {
            throw new SettingsException("askPerGiBBtt must be a decimal BTT amount of 0 or more (e.g. \"100\" or \"0.5\"; \"0\" sells "
                    + "nothing), got " + s.askPerGiBBtt() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A folder the user chooses must be there already: a typo would otherwise become a new folder
     * somewhere unexpected on the first download. Checked only when the folder changes, so that a
     * default ~/Downloads that does not exist yet still lets the helper start (the engine creates it).
     */
    private static void requireExistingFolder(String dir) throws SettingsException {
        Path folder = Path.of(dir);
        if (Files.isRegularFile(folder)) {
            throw new SettingsException("the download folder " + folder + " is a file, not a folder: choose a folder", null);
        }
        if (!Files.isDirectory(folder)) {
            throw new SettingsException("the download folder " + folder + " does not exist: create it first, or choose another", null);
        }
        if (!Files.isWritable(folder)) {
            throw new SettingsException("the download folder " + folder + " cannot be written to by this user: choose another", null);
        }
    }

    static void validate(Settings s) throws SettingsException {
        if (s.downloadDir() == null || !Path.of(s.downloadDir()).isAbsolute()) {
            throw new SettingsException("downloadDir must be an absolute path, got " + s.downloadDir(), null);
        }
        if (s.listenPort() < 0 || s.listenPort() > 65535) {
            throw new SettingsException("listenPort must be 0..65535 (0 = any free port), got " + s.listenPort(), null);
        }
        if (s.devnetPort() < 0 || s.devnetPort() > 65535) {
            throw new SettingsException("devnetPort must be 0..65535, got " + s.devnetPort(), null);
        }
        if (s.network() == null || !Settings.NETWORKS.contains(s.network())) {
            throw new SettingsException("network must be one of " + Settings.NETWORKS + ", got " + s.network(), null);
        }
        if (!RateLimits.valid(s.downloadBytesPerSecond()) || !RateLimits.valid(s.uploadBytesPerSecond())) {
            throw new SettingsException("downloadBytesPerSecond and uploadBytesPerSecond must be 0 (no limit) to "
                    + RateLimiter.MAX_BYTES_PER_SECOND + ", got " + s.downloadBytesPerSecond() + " and " + s.uploadBytesPerSecond(), null);
        }
        if (s.chainEndpoint() != null && !validEndpoint(s.chainEndpoint())) {
            throw new SettingsException("chainEndpoint must be host:port of a TRON gRPC node (e.g. 127.0.0.1:50151), or \"\" for the "
                    + "network's default, got " + s.chainEndpoint(), null);
        }
        askPerGiB(s);
        if (!(s.seedRatioLimit() >= 0 && s.seedRatioLimit() <= SeedingGoal.MAX_RATIO)) {
            throw new SettingsException("seedRatioLimit must be 0 (no limit) to " + (long) SeedingGoal.MAX_RATIO + ", e.g. 2 or 1.5, got "
                    + s.seedRatioLimit(), null);
        }
        if (s.seedingTimeLimitMinutes() < 0 || s.seedingTimeLimitMinutes() > SeedingGoal.MAX_MINUTES) {
            throw new SettingsException("seedingTimeLimitMinutes must be 0 (no limit) to " + SeedingGoal.MAX_MINUTES + ", got "
                    + s.seedingTimeLimitMinutes(), null);
        }
        for (String id : s.extensionIds()) {
            // Chromium ids are 32 letters a-p (hex digits of a key hash mapped to a-p).
            if (!id.matches("[a-p]{32}")) {
                throw new SettingsException("extensionIds entry '" + id + "' is not a Chromium extension id (32 letters a-p)", null);
            }
        }
    }
}
