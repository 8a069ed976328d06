package dev.magnetar.nativehost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HelperCommandTest {

    private static final Path LOCAL_BIN = Path.of("/home/u/.local/bin/magnetar");
    private static final Path PREFIX_BIN = Path.of("/home/u/.local/share/magnetar/app/bin/magnetar");
    private static final Optional<Path> JAR = Optional.of(Path.of("/home/u/.local/share/magnetar/app/magnetar.jar"));

    private static String path(String... dirs) {
        return String.join(File.pathSeparator, dirs);
    }

    @Test
    void theBareNameWhenADirectoryOnPathHoldsTheCommand() {
        Set<Path> present = Set.of(LOCAL_BIN, PREFIX_BIN);
        assertEquals("magnetar", HelperCommand.commandLine(path("/usr/bin", "/home/u/.local/bin"), List.of(LOCAL_BIN, PREFIX_BIN), JAR, present::contains));
    }

    @Test
    void theInstalledLauncherByItsFullPathWhenPathDoesNotReachIt() {
        Set<Path> present = Set.of(LOCAL_BIN, PREFIX_BIN);
        assertEquals(LOCAL_BIN.toString(), HelperCommand.commandLine(path("/usr/bin", "/bin"), List.of(LOCAL_BIN, PREFIX_BIN), JAR, present::contains));
    }

    @Test
    void theLauncherBesideTheJarWhenTheUserLinkIsGone() {
        Set<Path> present = Set.of(PREFIX_BIN);
        assertEquals(PREFIX_BIN.toString(), HelperCommand.commandLine("/usr/bin", List.of(LOCAL_BIN, PREFIX_BIN), JAR, present::contains));
    }

    @Test
    void aHelperRunFromABuildIsRunWithJava() {
        Optional<Path> built = Optional.of(Path.of("/src/magnetar/helper/target/magnetar.jar"));
        assertEquals("java -jar /src/magnetar/helper/target/magnetar.jar", HelperCommand.commandLine(null, List.of(LOCAL_BIN), built, p -> false));
        assertEquals("magnetar", HelperCommand.commandLine("", List.of(), Optional.empty(), p -> false), "nothing better known");
    }
}
