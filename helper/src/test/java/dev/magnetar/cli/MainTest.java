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
}
