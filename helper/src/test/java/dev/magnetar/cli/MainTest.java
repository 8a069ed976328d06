package dev.magnetar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree main() builds: only the named subcommand, or everything when help is wanted. */
class MainTest {

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        CommandLine cl = Main.newCommandLine(new String[] {"info", "x.torrent"});
        assertEquals(Set.of("info"), cl.getSubcommands().keySet());
    }

    @Test
    void helpVersionAndUnknownWordsGetTheWholeTree() {
        Set<String> all = Main.newCommandLine().getSubcommands().keySet();
        assertTrue(all.containsAll(Set.of("help", "demo", "download", "seed", "create", "info", "wallet", "daemon",
                "native-host", "install", "uninstall")), all.toString());
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "download"}, {"donwload"}}) {
            assertEquals(all, Main.newCommandLine(args).getSubcommands().keySet(), String.join(" ", args));
        }
    }

    @Test
    void aSubcommandsHelpStillNamesTheWholeCommand() {
        CommandLine cl = Main.newCommandLine(new String[] {"download", "--help"});
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("download", "--help"));
        assertTrue(out.toString().startsWith("Usage: magnetar download"), out.toString());
    }

    @Test
    void everySubcommandAtEveryLevelAnswersHelp() {
        java.util.List<String> failures = new java.util.ArrayList<>();
        walk(Main.newCommandLine(), new java.util.ArrayList<>(), failures);
        assertEquals(java.util.List.of(), failures, "commands whose --help is not usage text");
    }

    private static void walk(CommandLine cl, java.util.List<String> path, java.util.List<String> failures) {
        for (var sub : cl.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            java.util.List<String> args = new java.util.ArrayList<>(path);
            args.add(sub.getKey());
            walk(sub.getValue(), args, failures);
            args.add("--help");
            CommandLine fresh = Main.newCommandLine(args.toArray(String[]::new));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            fresh.setOut(new PrintWriter(out));
            fresh.setErr(new PrintWriter(err));
            int status = fresh.execute(args.toArray(String[]::new));
            String usage = "Usage: magnetar " + String.join(" ", args.subList(0, args.size() - 1));
            if (status != 0 || !out.toString().startsWith(usage)) {
                failures.add(String.join(" ", args) + " → " + status + " " + (err.toString() + out).lines().findFirst().orElse(""));
            }
        }
    }

    @Test
    void theNativeHostsDaemonStartIsReadWithoutPicocliAndAnythingElseGoesToIt() {
        assertEquals(java.util.Optional.of(new DaemonCommand.PlainArgs(java.nio.file.Path.of("/home/ada/.local/share/magnetar"), null)),
                DaemonCommand.plainArgs(new String[] {"daemon", "--data-dir", "/home/ada/.local/share/magnetar"}));
        assertEquals(java.util.Optional.of(new DaemonCommand.PlainArgs(java.nio.file.Path.of("d"), 0)),
                DaemonCommand.plainArgs(new String[] {"daemon", "--port", "0", "--data-dir", "d"}));
        assertEquals(java.util.Optional.of(new DaemonCommand.PlainArgs(null, null)), DaemonCommand.plainArgs(new String[] {"daemon"}));
        // Picocli's own answers for these: help, errors, other commands.
        for (String[] args : new String[][] {{}, {"download", "x.torrent"}, {"daemon", "--help"}, {"daemon", "--port"},
                {"daemon", "--port", "http"}, {"daemon", "--port", "70000"}, {"daemon", "--port", "1", "--port", "2"},
                {"daemon", "--data-dir", "--port"}, {"daemon", "--data-dir=d"}, {"daemon", "--verbose", "x"}}) {
            assertEquals(java.util.Optional.empty(), DaemonCommand.plainArgs(args), String.join(" ", args));
        }
    }
}
