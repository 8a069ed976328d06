package dev.magnetar.cli;

import dev.magnetar.util.LogConfigurator;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code magnetar} command: one subcommand per job. */
@Command(
        name = "magnetar",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Magnetar helper: BitTorrent engine, TRON wallet and browser bridge.")
public final class Main implements Runnable {

    /** Read once, when Logback configures itself at the first logger; set before anything logs. */
    private static final String LOG_LEVEL_PROPERTY = LogConfigurator.LEVEL_PROPERTY;

    public static void main(String[] args) {
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            // The CLI's console belongs to its progress bars: warnings only. The daemon writes its own log
            // file, where INFO is what a bug report needs.
            boolean daemon = args.length > 0 && args[0].equals("daemon");
            System.setProperty(LOG_LEVEL_PROPERTY, System.getenv().getOrDefault("MAGNETAR_LOG_LEVEL", daemon ? "info" : "warn"));
        }
        java.util.Optional<DaemonCommand.PlainArgs> daemon = DaemonCommand.plainArgs(args);
        if (daemon.isPresent()) {
            System.exit(runDaemon(daemon.get()));
        }
        System.exit(newCommandLine(args).execute(args));
    }

    /** The native host's daemon start, without picocli ({@link DaemonCommand#plainArgs}); output as picocli would write it. */
    private static int runDaemon(DaemonCommand.PlainArgs a) {
        java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
        java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
        try {
            return DaemonCommand.run(a.dataDir(), a.port(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * The subcommands, in the order help lists them. Classes, not instances: picocli builds a
     * command's model by reflection, which for all of them took ~220 ms of a 0.45 s start (measured
     * with async-profiler) — paid again by every native-host start and every download.
     */
    private static final class Subcommands {
        /** In a holder: built (by reflection over every command) only when picocli runs, never on the plain daemon path. */
        static final Map<String, Class<?>> BY_NAME = subcommands(DemoCommand.class, DownloadCommand.class,
                SeedCommand.class, CreateCommand.class, InfoCommand.class, WalletCommand.class, DaemonCommand.class,
                NativeHostCommand.class, InstallCommand.class, UninstallCommand.class);
    }

    /** Builds the whole command tree; tests call this to run commands in-process. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        Subcommands.BY_NAME.forEach(cl::addSubcommand);
        return cl;
    }

    /**
     * The tree {@code args} need: just the named subcommand when the first argument names one (its
     * own help and errors still read "magnetar NAME ..."), the whole tree otherwise (help, version,
     * a typo that deserves the list of commands).
     */
    static CommandLine newCommandLine(String[] args) {
        Class<?> only = args.length > 0 ? Subcommands.BY_NAME.get(args[0]) : null;
        if (only == null) {
            return newCommandLine();
        }
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(args[0], only);
        return cl;
    }

    private static Map<String, Class<?>> subcommands(Class<?>... classes) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            byName.put(c.getAnnotation(Command.class).name(), c);
        }
        return byName;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
