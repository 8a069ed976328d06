package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.storage.Bitfield;
import dev.magnetar.wire.PeerMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerAvailabilityTest {

    @Test
    void messagesBeforeTheMetadataAreKeptInOrderAndHandedBackOnce() {
        PeerAvailability a = new PeerAvailability();
        assertFalse(a.isKnown());
        assertTrue(a.keep(new PeerMessage.Have(3)));
        assertTrue(a.keep(new PeerMessage.HaveNone()));
        assertFalse(a.has(3), "nothing is applied before the piece count is known");

        assertEquals(List.of(new PeerMessage.Have(3), new PeerMessage.HaveNone()), a.start(8));
        assertTrue(a.isKnown());
        assertEquals(0, a.progress());
    }

    @Test
    void aFloodOfHavesBeforeTheMetadataIsRefusedPastTheLimit() {
        PeerAvailability a = new PeerAvailability();
        for (int i = 0; i < PeerAvailability.MAX_KEPT; i++) {
            assertTrue(a.keep(new PeerMessage.Have(i)));
        }
        assertFalse(a.keep(new PeerMessage.Have(0)));
        assertEquals(PeerAvailability.MAX_KEPT, a.start(4).size(), "the one too many was not kept");
    }

    @Test
    void havesAddUpToASeedAndARepeatIsNoNews() {
        PeerAvailability a = new PeerAvailability();
        a.start(3);
        assertTrue(a.have(0));
        assertFalse(a.have(0), "the peer had it already");
        assertTrue(a.have(2));
        assertFalse(a.isSeed());
        assertEquals(2.0 / 3, a.progress(), 1e-9);
        assertTrue(a.have(1));
        assertTrue(a.isSeed());
        assertEquals(1, a.progress());
    }

    @Test
    void aBitfieldReplacesWhatWasKnownAndHaveNoneClearsIt() {
        PeerAvailability a = new PeerAvailability();
        a.start(4);
        a.have(3);
        Bitfield bits = new Bitfield(4);
        bits.set(1);
        a.bitfield(bits);
        assertTrue(a.has(1));
        assertFalse(a.has(3));

        a.haveAll();
        assertTrue(a.isSeed());
        assertTrue(a.has(3));

        a.haveNone();
        assertFalse(a.isSeed());
        assertFalse(a.has(1));
        assertEquals(0, a.progress());
    }
}
