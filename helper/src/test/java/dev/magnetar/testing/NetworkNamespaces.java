package dev.magnetar.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What every test fixture made of network namespaces does around its own topology: check that it can
 * (root, {@code ip}, {@code nft} and whatever else it runs), make its first namespace as the probe of
 * whether this kernel or container allows it, and delete every namespace it made, also when building it
 * failed half-way. The namespaces' nftables tables, veths and routes go with them. Skips (fails under
 * CI=true) where namespaces cannot be had.
 */
public final class NetworkNamespaces {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    /** Builds a fixture's topology; may throw anything, after which the fixture is closed. */
    @FunctionalInterface
    public interface Build {
        void run() throws Exception;
    }

    private NetworkNamespaces() {}

    /**
     * Checks for root and the tools, adds {@code first}, then runs {@code build}; if anything fails,
     * closes {@code fixture} (which deletes what was made) before rethrowing.
     *
     * @param tools executables the fixture runs besides {@code ip} and {@code nft}
     */
    public static <T extends AutoCloseable> T build(T fixture, String first, Build build, String... tools) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            ExternalTools.skipOrFail("network namespaces need root");
        }
        ExternalTools.requireExecutable("ip");
        ExternalTools.requireExecutable("nft");
        for (String tool : tools) {
            ExternalTools.requireExecutable(tool);
        }
        try {
            ExternalTools.Result probe = ExternalTools.run(COMMAND_TIMEOUT, "ip", "netns", "add", first);
            Assumptions.assumeTrue(probe.exitCode() == 0 || ExternalTools.isCi(), "cannot create a network namespace: " + probe.stderr());
            assertEquals(0, probe.exitCode(), "ip netns add: " + probe.stderr());
            build.run();
        } catch (Exception | AssertionError e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    /** Deletes each namespace (its veths and nftables tables go with it); one already gone is no error. */
    public static void delete(List<String> namespaces) throws Exception {
        for (String ns : namespaces) {
            ExternalTools.run(COMMAND_TIMEOUT, "ip", "netns", "del", ns);
        }
    }
}
