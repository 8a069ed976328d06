package dev.magnetar.packaging;

import dev.magnetar.installer.OperatingSystem;
import dev.magnetar.installer.TargetPath;
import dev.magnetar.util.ProductVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release build for the machine it runs on: {@code mvn -B -Prelease package} calls it after the
 * helper's jar is built. Arguments: {@code --jar FILE --icon PNG --work DIR --out DIR}. Only Linux
 * is built here; on Windows and macOS the same plan runs on their own build machines.
 */
public final class ReleaseBuild {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseBuild.class);

    private ReleaseBuild() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        OperatingSystem os = OperatingSystem.current();
        TargetPath jdkBin = TargetPath.ofLocal(os, Path.of(System.getProperty("java.home"), "bin"));
        TargetPath jar = required(options, "--jar", os);
        if (!Files.isRegularFile(jar.toPath())) {
            throw new ReleaseException("--jar " + jar + " does not exist: build the helper first (mvn -B -Prelease package does)");
        }
        String jdeps = capture(RuntimeImage.jdepsCommand(jdkBin, jar));
        List<String> modules = RuntimeImage.modules(jdeps);
        LOG.info("runtime modules (jdeps + services): {}", String.join(",", modules));
        ReleaseRequest request = new ReleaseRequest(os, ProductVersion.current(), jar, required(options, "--icon", os),
                required(options, "--work", os), required(options, "--out", os), modules, architecture(os));
        ReleasePlan plan = new ReleasePlanner(jdkBin, TargetPath.of(os, "/usr/bin/dpkg-deb")).plan(request);
        new ReleaseExecutor().execute(plan);
        plan.artifacts().forEach(a -> LOG.info("built {}", a));
    }

    private static Map<String, String> options(String[] args) throws ReleaseException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length || !args[i].startsWith("--")) {
                throw new ReleaseException("usage: ReleaseBuild --jar FILE --icon PNG --work DIR --out DIR (got " + String.join(" ", args) + ")");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static TargetPath required(Map<String, String> options, String name, OperatingSystem os) throws ReleaseException {
        String v = options.get(name);
        if (v == null) {
            throw new ReleaseException("missing " + name + " (usage: ReleaseBuild --jar FILE --icon PNG --work DIR --out DIR)");
        }
        return TargetPath.ofLocal(os, Path.of(v));
    }

    /** Debian's architecture name (dpkg's own answer) on Linux; the JVM's elsewhere. */
    private static String architecture(OperatingSystem os) throws IOException, InterruptedException, ReleaseException {
        return os == OperatingSystem.LINUX ? capture(List.of("dpkg", "--print-architecture")).strip() : System.getProperty("os.arch");
    }

    private static String capture(List<String> command) throws IOException, InterruptedException, ReleaseException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new ReleaseException(String.join(" ", command) + " failed:\n" + out.strip());
        }
        return out;
    }
}
