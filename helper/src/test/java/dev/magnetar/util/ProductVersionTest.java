package dev.magnetar.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.cli.Version;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.PeerIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProductVersionTest {

    @Test
    void theVersionIsTheOneInTheRootPom() throws Exception {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<artifactId>magnetar-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the root pom names its version right after its artifactId");
        assertEquals(m.group(1), ProductVersion.current().full());
    }

    @Test
    void everyPlaceThatShowsAVersionDerivesItFromTheOneSource() {
        ProductVersion v = ProductVersion.current();
        assertEquals(v.full(), Version.current());
        assertEquals("Magnetar " + v.full(), Engine.CLIENT_NAME);
        assertEquals("-" + ProductVersion.CLIENT_CODE + v.peerIdDigits() + "-", PeerIds.PREFIX);
        assertEquals(8, PeerIds.PREFIX.length(), "BEP 20 Azureus style: dash, two letters, four version characters, dash");
    }

    @Test
    void aSnapshotIsNumbersForTheExtensionAndSortsBeforeItsReleaseForDpkg() {
        ProductVersion snapshot = new ProductVersion("0.1.0-SNAPSHOT");
        assertEquals("0.1.0", snapshot.numeric());
        assertEquals("0.1.0~SNAPSHOT", snapshot.debian());
        assertEquals("0100", snapshot.peerIdDigits());
        assertEquals("1.2.3", new ProductVersion("1.2.3").debian());
        assertEquals("1.2.3~rc.1", new ProductVersion("1.2.3-rc_1").debian());
    }

    @Test
    void versionComponentsAboveNineBecomeLettersInThePeerId() {
        assertEquals("1AZ0", new ProductVersion("1.10.35").peerIdDigits());
        assertEquals("ZZZ0", new ProductVersion("99.40.100").peerIdDigits());
    }

    @Test
    void aVersionThatIsNotMajorMinorPatchIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProductVersion("1.2"));
        assertTrue(e.getMessage().contains("MAJOR.MINOR.PATCH"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProductVersion("${project.version}"));
    }
}
