package dev.magnetar;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The helper's packages depend in one direction, bottom to top. Packages on one tier are siblings:
 * neither may use the other. A new package fails {@link #everyPackageDependsOnlyOnTiersBelowIt} until
 * it is placed here, and README.md states the same order ({@link #readmeStatesTheOrderThisTestEnforces}).
 */
class PackageLayeringTest {

    /** Bottom first. */
    static final List<List<String>> TIERS = List.of(
            List.of("util", "bencode"),
            List.of("metainfo"),
            List.of("storage"),
            List.of("wire"),
            List.of("tracker", "dht", "lsd", "portmap", "metadata", "webseed"),
            List.of("engine"),
            List.of("approval"),
            List.of("wallet"),
            List.of("devnet", "speed"),
            List.of("api"),
            List.of("daemon"),
            List.of("nativehost", "installer"),
            List.of("cli"));

    static List<String> bottomToTop() {
        return TIERS.stream().flatMap(List::stream).toList();
    }

    @Test
    void everyPackageDependsOnlyOnTiersBelowIt() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture();
        for (String p : bottomToTop()) {
            layers = layers.layer(p).definedBy("dev.magnetar." + p + "..");
        }
        List<String> below = new ArrayList<>();
        for (List<String> tier : TIERS) {
            for (String p : tier) {
                layers = below.isEmpty() ? layers.whereLayer(p).mayNotAccessAnyLayer()
                        : layers.whereLayer(p).mayOnlyAccessLayers(below.toArray(String[]::new));
            }
            below.addAll(tier);
        }
        layers.check(HelperClasses.production());
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.magnetar.(*)..").should().beFreeOfCycles().check(HelperClasses.production());
    }

    @Test
    void readmeStatesTheOrderThisTestEnforces() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md")).replaceAll("\\s+", " ");
        String stated = TIERS.stream()
                .map(tier -> tier.stream().map(p -> "`" + p + "`").collect(Collectors.joining(", ", tier.size() > 1 ? "(" : "",
                        tier.size() > 1 ? ")" : "")))
                .collect(Collectors.joining(", "));
        assertTrue(readme.contains(": " + stated + "."), "README.md should list the helper packages as " + stated);
    }
}
