package dev.magnetar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ExternalTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Python benchmarks under bench/ are run by hand, not by the suite, so a broken import or argument
 * parser would only show when someone next measures. Each one's {@code --help} is run here: it imports
 * the script's modules and builds its parser without starting anything.
 */
class BenchScriptsTest {

    private static final Path BENCH = Path.of("..", "bench");

    @Test
    void everyPythonBenchmarkImportsAndPrintsItsUsage() throws Exception {
        List<Path> scripts = pythonScripts();
        assertFalse(scripts.isEmpty(), "no Python script found in " + BENCH.toAbsolutePath());
        for (Path script : scripts) {
            ExternalTools.Result help = ExternalTools.run(Duration.ofSeconds(60), ExternalTools.SYSTEM_PYTHON.toString(),
                    script.toString(), "--help");
            assertEquals(0, help.exitCode(), script + " --help failed:\n" + help.stderr());
            assertTrue(help.stdout().startsWith("usage: "), script + " --help printed no usage:\n" + help.stdout());
        }
    }

    private static List<Path> pythonScripts() throws IOException {
        try (Stream<Path> files = Files.list(BENCH)) {
            return files.filter(Files::isRegularFile).filter(BenchScriptsTest::startsWithPythonShebang).sorted().toList();
        }
    }

    private static boolean startsWithPythonShebang(Path file) {
        try (var in = Files.newBufferedReader(file)) {
            String first = in.readLine();
            return first != null && first.startsWith("#!") && first.contains("python");
        } catch (IOException | java.io.UncheckedIOException notText) {
            return false;
        }
    }
}
