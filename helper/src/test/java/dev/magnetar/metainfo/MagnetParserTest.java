package dev.magnetar.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class MagnetParserTest {

    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    /** The same hash in RFC 4648 base32 (computed with Python's base64.b32encode). */
    private static final String BASE32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";

    @Test
    void parsesEveryBep9Field() throws Exception {
        MagnetLink m = MagnetParser.parse("magnet:?xt=urn:btih:" + HEX.toUpperCase() + "&dn=Big+Buck%20Bunny%C3%A9"
                + "&tr=http%3A%2F%2Ft1%2Fannounce&tr.1=udp://t2:80&x.pe=127.0.0.1:6881&x.pe=%5B::1%5D:51413"
                + "&x.pe=peer.example:1&xl=1048576&so=0-3&ws=http://ignored");

        assertEquals(HEX, m.infoHash().hex());
        assertEquals("Big Buck Bunnyé", m.displayName());
        assertEquals(List.of("http://t1/announce", "udp://t2:80"), m.trackers());
        assertEquals(List.of("127.0.0.1:6881", "[::1]:51413", "peer.example:1"), m.peers());
        assertEquals(1048576L, m.exactLength());
    }

    @Test
    void acceptsBase32InEitherCase() throws Exception {
        assertEquals(HEX, MagnetParser.parse("magnet:?xt=urn:btih:" + BASE32).infoHash().hex());
        assertEquals(HEX, MagnetParser.parse("MAGNET:?xt=urn:btih:" + BASE32.toLowerCase()).infoHash().hex());
    }

    @Test
    void aV2HashNextToAV1OneMakesAHybridLinkJoinedThroughTheV1Hash() throws Exception {
        MagnetLink m = MagnetParser.parse("magnet:?xt=urn:btmh:1220" + "ab".repeat(32) + "&xt=urn:btih:" + HEX);
        assertEquals(HEX, m.infoHash().hex());
        assertEquals("ab".repeat(32), java.util.HexFormat.of().formatHex(m.v2InfoHash()));
        assertTrue(m.hasV1InfoHash());
        assertNull(m.displayName());
    }

    @Test
    void aBtmhAloneIsAV2LinkWhoseSwarmIsTheTruncatedSha256() throws Exception {
        String sha256 = "0123456789abcdef".repeat(4);
        MagnetLink m = MagnetParser.parse("magnet:?xt=urn:btmh:1220" + sha256.toUpperCase() + "&dn=pack");
        assertEquals(sha256.substring(0, 40), m.infoHash().hex(), "BEP 52: the first 20 bytes on the wire");
        assertEquals(m.infoHash(), m.truncatedV2InfoHash());
        assertFalse(m.hasV1InfoHash());
        assertEquals("magnet:?xt=urn:btmh:1220" + sha256 + "&dn=pack", m.toUri());
        assertEquals(m, MagnetParser.parse(m.toUri()));
    }

    @Test
    void aBtmhThatIsNotASha256MultihashIsRefused() {
        assertError("the v2 info-hash", "magnet:?xt=urn:btmh:1220" + "ab".repeat(31)); // 31 bytes
        assertError("the v2 info-hash", "magnet:?xt=urn:btmh:1320" + "ab".repeat(32)); // 0x13: SHA-512, not BEP 52's
        assertError("the v2 info-hash", "magnet:?xt=urn:btmh:" + "ab".repeat(32)); // no multihash prefix
        assertError("the magnet link names two different BitTorrent v2 info-hashes",
                "magnet:?xt=urn:btmh:1220" + "ab".repeat(32) + "&xt=urn:btmh:1220" + "cd".repeat(32));
    }

    @Test
    void sanitisesTheDisplayName() throws Exception {
        MagnetLink m = MagnetParser.parse("magnet:?xt=urn:btih:" + HEX + "&dn=evil%1B%5B2Jname%E2%80%AEgpj.exe");
        assertEquals("evil_[2Jname_gpj.exe", m.displayName());
    }

    @Test
    void clearErrors() {
        assertError("not a magnet link", "http://example.com/file.torrent");
        assertError("not a magnet link", "");
        assertError("the magnet link has no BitTorrent info-hash (xt=urn:btih:... or xt=urn:btmh:...)", "magnet:?dn=x");
        assertError("the info-hash", "magnet:?xt=urn:btih:1234");
        assertError("the info-hash", "magnet:?xt=urn:btih:" + BASE32.substring(0, 31) + "1"); // '1' is not base32
        assertError("bad percent-encoding", "magnet:?xt=urn:btih:" + HEX + "&dn=%G1");
        assertError("bad percent-encoding", "magnet:?xt=urn:btih:" + HEX + "&dn=abc%4");
        assertError("the magnet link's \"dn\" value is not valid UTF-8", "magnet:?xt=urn:btih:" + HEX + "&dn=%FF");
        assertError("x.pe peer \"127.0.0.1:0\" needs a port from 1 to 65535", "magnet:?xt=urn:btih:" + HEX + "&x.pe=127.0.0.1:0");
        assertError("x.pe peer", "magnet:?xt=urn:btih:" + HEX + "&x.pe=127.0.0.1:65536");
        assertError("x.pe peer", "magnet:?xt=urn:btih:" + HEX + "&x.pe=::1:80");
        assertError("x.pe peer", "magnet:?xt=urn:btih:" + HEX + "&x.pe=[::1]80");
        assertError("xl (exact length)", "magnet:?xt=urn:btih:" + HEX + "&xl=-5");
        assertError("the magnet link names two different", "magnet:?xt=urn:btih:" + HEX + "&xt=urn:btih:" + "0".repeat(40));
    }

    @Test
    void toUriRoundTrips() throws Exception {
        MagnetLink original = new MagnetLink(InfoHash.fromHex(HEX), "a name & more + 100%/ünï", List.of("http://t/a?x=1&y=2"),
                List.of("[::1]:6881", "10.0.0.1:1"), 42L);
        String uri = original.toUri();
        assertTrue(uri.startsWith("magnet:?xt=urn:btih:" + HEX), uri);
        assertEquals(original, MagnetParser.parse(uri));
    }

    @Property(tries = 500)
    void anyStringGivesALinkOrATypedError(@ForAll @StringLength(max = 200) String tail) {
        for (String uri : List.of(tail, "magnet:?" + tail, "magnet:?xt=urn:btih:" + HEX + "&" + tail)) {
            try {
                MagnetLink m = MagnetParser.parse(uri);
                assertEquals(m, MagnetParser.parse(m.toUri()));
            } catch (InvalidMagnetException e) {
                assertTrue(!e.getMessage().isBlank());
            }
        }
    }

    private static void assertError(String expectedStart, String uri) {
        InvalidMagnetException e = assertThrows(InvalidMagnetException.class, () -> MagnetParser.parse(uri));
        assertTrue(e.getMessage().startsWith(expectedStart), "got: " + e.getMessage());
    }

    @Test
    void webSeedsOfTheWsParameterAreKeptInOrderAndRoundTrip() throws Exception {
        MagnetLink m = MagnetParser.parse("magnet:?xt=urn:btih:" + HEX + "&ws=http%3A%2F%2Fmirror.example%2Fa%2F&ws.1=https://m2.example/b");
        assertEquals(List.of("http://mirror.example/a/", "https://m2.example/b"), m.webSeeds());
        assertEquals(m, MagnetParser.parse(m.toUri()));
    }
}
