package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class BanListTest {

    private static PeerIdentity peer(int port, String idHex) {
        return new PeerIdentity(new InetSocketAddress("127.0.0.1", port), idHex);
    }

    private final PeerIdentity liar = peer(6001, "aa");
    private final PeerIdentity honest = peer(6002, "bb");

    @Test
    void soleContributorOfAFailedPieceIsBannedAtOnce() {
        BanList bans = new BanList();
        assertEquals(List.of(liar), bans.pieceFailed(List.of(liar)));
        assertTrue(bans.isBanned(liar));
        assertTrue(bans.isBanned(liar.address()));
        assertTrue(bans.isBannedPeerId("aa"), "the same client from another port is refused too");
    }

    @Test
    void sharedFailureGivesOneStrikeAndASecondOneBans() {
        BanList bans = new BanList();
        assertEquals(List.of(), bans.pieceFailed(List.of(liar, honest)));
        assertFalse(bans.isBanned(honest), "one shared bad piece is not proof");
        assertEquals(1, bans.strikes(honest));
        assertEquals(List.of(liar), bans.pieceFailed(List.of(liar, peer(6003, "cc"))));
        assertTrue(bans.isBanned(liar));
        assertFalse(bans.isBanned(honest));
        assertEquals(1, bans.bannedCount());
    }

    /**
     * The web seed case from a full run: the liar, alone in one failed piece, is banned while two pieces it
     * shared with an honest seed are already being hashed; their failures must not ban the honest one.
     */
    @Test
    void piecesThatFailWithABannedLiarInThemStrikeNoOneElse() {
        BanList bans = new BanList();
        assertEquals(List.of(liar), bans.pieceFailed(List.of(liar)));
        assertEquals(List.of(), bans.pieceFailed(List.of(honest, liar)));
        assertEquals(List.of(), bans.pieceFailed(List.of(liar, honest)));
        assertFalse(bans.isBanned(honest), "the banned liar explains both");
        assertEquals(0, bans.strikes(honest));
    }

    @Test
    void bannedPeerIsReportedOnlyOnce() {
        BanList bans = new BanList();
        bans.pieceFailed(List.of(liar));
        assertEquals(List.of(), bans.pieceFailed(List.of(liar)));
    }

    @Test
    void banByAddressDoesNotCatchAnotherPortOnTheSameIp() {
        BanList bans = new BanList();
        bans.pieceFailed(List.of(liar));
        assertFalse(bans.isBanned(new InetSocketAddress("127.0.0.1", 6002)),
                "loopback tests and NAT put honest peers on the same IP");
    }
}
