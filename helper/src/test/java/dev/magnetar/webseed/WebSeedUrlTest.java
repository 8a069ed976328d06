package dev.magnetar.webseed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

class WebSeedUrlTest {

    @Test
    void httpAndHttpsAreAcceptedAndTheFragmentDropped() throws Exception {
        assertEquals(URI.create("http://127.0.0.1:81/a/"), WebSeedUrl.parse(" http://127.0.0.1:81/a/#x "));
        assertEquals(URI.create("HTTPS://mirror.example/f.iso"), WebSeedUrl.parse("HTTPS://mirror.example/f.iso"));
    }

    @Test
    void otherSchemesAreRefusedSayingWhichWork() {
        for (String bad : new String[] {"ftp://mirror.example/f.iso", "file:///etc/passwd", "javascript:alert(1)", "/relative/path"}) {
            WebSeedRefusedException e = assertThrows(WebSeedRefusedException.class, () -> WebSeedUrl.parse(bad), bad);
            assertTrue(e.getMessage().contains("http and https web seeds only"), e.getMessage());
        }
    }

    @Test
    void malformedOrHostlessUrlsAndUserInfoAreRefused() {
        assertThrows(WebSeedRefusedException.class, () -> WebSeedUrl.parse("http://exa mple/"));
        assertThrows(WebSeedRefusedException.class, () -> WebSeedUrl.parse("http:///nohost"));
        assertThrows(WebSeedRefusedException.class, () -> WebSeedUrl.parse("http://user:pw@127.0.0.1/"));
    }

    @Test
    void loopbackAndPrivateAddressesAreLocalOthersPublic() throws Exception {
        assertEquals(AddressScope.LOCAL, AddressScope.of("127.0.0.1"));
        assertEquals(AddressScope.LOCAL, AddressScope.of("[::1]"));
        assertEquals(AddressScope.LOCAL, AddressScope.of("192.168.1.20"));
        assertEquals(AddressScope.LOCAL, AddressScope.of("fd00::1"));
        assertEquals(AddressScope.PUBLIC, AddressScope.of("93.184.216.34")); // a literal: no lookup, no traffic
        assertTrue(AddressScope.isLocal(InetAddress.getByName("100.64.0.1")));
    }
}
