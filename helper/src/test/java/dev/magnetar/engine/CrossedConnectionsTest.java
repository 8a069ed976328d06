package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CrossedConnectionsTest {

    @Test
    void theLowerPeerIdKeepsItsOutgoingConnection() {
        byte[] low = "-MG0100-aaaaaaaaaaaa".getBytes();
        byte[] high = "-MG0100-bbbbbbbbbbbb".getBytes();
        assertTrue(CrossedConnections.keepOurOutgoing(low, high));
        assertFalse(CrossedConnections.keepOurOutgoing(high, low));
    }

    /** Peer ids are bytes: 0x80 and above sort after ASCII, not before it as signed bytes would. */
    @Test
    void comparesBytesUnsigned() {
        byte[] ascii = new byte[20];
        byte[] highBit = new byte[20];
        highBit[0] = (byte) 0x80;
        assertTrue(CrossedConnections.keepOurOutgoing(ascii, highBit));
    }

    @Test
    void ourOwnPeerIdIsNoCrossing() {
        byte[] id = "-MG0100-aaaaaaaaaaaa".getBytes();
        assertThrows(IllegalArgumentException.class, () -> CrossedConnections.keepOurOutgoing(id, id.clone()));
    }

    /** Both ends, each seeing its own connection pair, keep the same one: exactly one survives. */
    @Property(tries = 500)
    void bothEndsKeepTheSameConnection(@ForAll @Size(20) byte[] a, @ForAll @Size(20) byte[] b) {
        if (Arrays.equals(a, b)) {
            b = b.clone();
            b[0] ^= 1; // two distinct peers, always
        }
        assertNotEquals(CrossedConnections.keepOurOutgoing(a, b), CrossedConnections.keepOurOutgoing(b, a));
        // The connection A dialled is outgoing at A and incoming at B: both keep it, or both drop it.
        boolean aKeepsItsDial = CrossedConnections.keepNew(true, a, b);
        boolean bKeepsAsDial = CrossedConnections.keepNew(false, b, a);
        assertTrue(aKeepsItsDial == bKeepsAsDial);
    }
}
