package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.util.ProductVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PeerIdsTest {

    /** Codes other clients use, as libtorrent's and Transmission's client tables name them. */
    private static Map<String, String> codesInUse() throws IOException {
        try (InputStream in = PeerIdsTest.class.getResourceAsStream("/peer-id-client-codes.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .collect(Collectors.toMap(l -> l.substring(0, 2), l -> l.substring(3), (a, b) -> a));
        }
    }

    @Test
    void ourClientCodeIsOneNoOtherClientUses() throws IOException {
        Map<String, String> inUse = codesInUse();
        assertTrue(inUse.size() > 100 && "Transmission".equals(inUse.get("TR")) && "Media Get".equals(inUse.get("MG")),
                "the table of codes in use is the one gathered from libtorrent and Transmission");
        String ours = PeerIds.PREFIX.substring(1, 3);
        assertFalse(inUse.containsKey(ours), () -> "-" + ours + " is " + inUse.get(ours) + "'s peer-id prefix");
        assertEquals(ProductVersion.CLIENT_CODE, ours);
    }

    @Test
    void aPeerIdIsTwentyPrintableBytesStartingWithThePrefix() {
        byte[] id = PeerIds.generate();
        assertEquals(20, id.length);
        String text = new String(id, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith(PeerIds.PREFIX), text);
        assertTrue(text.chars().allMatch(c -> c > 0x20 && c < 0x7f), text);
    }
}
