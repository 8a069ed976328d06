package dev.magnetar.speed;

import static dev.magnetar.speed.SpeedNode.BTT;
import static dev.magnetar.speed.SpeedNode.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.api.Json;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.BoostStatus;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.spec.SpecValidator;
import dev.magnetar.testing.TestTorrents;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A boost that cannot reach the seller's ask says so in the boost status (API and events): the
 * seller's ask, our effective bid, and what it would take. A real seller (ask 100 BTT/GiB, upload capped
 * so the download lasts) and a real payer on the devnet.
 */
class IdleBoostTest {

    private static final long MIB = 1L << 20;
    private static final BigInteger ASK = BTT.multiply(BigInteger.valueOf(100));

    @TempDir
    Path root;

    private Devnet devnet;
    private SpeedNode seller;
    private SpeedNode payer;
    private TorrentInfo info;

    @BeforeEach
    void start() throws Exception {
        devnet = BlockProducingDevnet.start(root.resolve("devnet"));
        SpeedSettings settings = new SpeedSettings(ASK, 2, BTT.divide(BigInteger.valueOf(20)), BTT.divide(BigInteger.TEN),
                BTT.divide(BigInteger.valueOf(80)), BTT.multiply(BigInteger.valueOf(100)), Duration.ofSeconds(120));
        info = TestTorrents.singleFile(root.resolve("content"), "idle.bin", 256 * 1024, 8 * MIB);
        seller = new SpeedNode("seller", root, devnet, settings, 25, 64 * 1024, null); // 8 MiB take two minutes
        payer = new SpeedNode("payer", root, devnet, settings.withAsk(BigInteger.ZERO), 25, 0, null);
        seller.add(info, root.resolve("content")).completion().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        payer.close();
        seller.close();
        devnet.close();
    }

    private BoostStatus boostWith(BigInteger cap, BigInteger rate, String expectedNoteStart) throws Exception {
        payer.approveBoost("boost", info, cap, rate);
        Torrent t = payer.add(info, root.resolve("payer"));
        t.addPeer(seller.address());
        TorrentSpeed speed = payer.speed(t);
        awaitCondition(() -> speed.status() != null && speed.status().note() != null && speed.status().note().startsWith(expectedNoteStart),
                "the boost status explains itself: " + (speed.status() == null ? null : speed.status().note()));
        BoostStatus s = speed.status();
        SpecValidator.shared().validateComponent("BoostStatus", Json.mapper().writeValueAsString(s), "an idle boost's status");
        return s;
    }

    @Test
    void aBudgetTooSmallForTheTorrentAtTheAskSaysHowMuchIsNeeded() throws Exception {
        // 0.1 BTT for 8 MiB spreads to about 12.5 BTT/GiB; at the ask the 8 MiB cost 0.78 BTT.
        BoostStatus s = boostWith(BTT.divide(BigInteger.TEN), BTT.multiply(BigInteger.valueOf(200)), "at least ");
        assertEquals("100", s.askBtt());
        assertEquals(ASK.toString(), s.askBaseUnits());
        assertTrue(new BigInteger(s.rateBaseUnits()).compareTo(ASK) < 0, "effective bid " + s.rateBtt() + " below the ask");
        assertTrue(s.note().endsWith("BTT needed for this torrent at the sellers' asks (0.1 BTT left in the budget)"), s.note());
        assertEquals("0", s.spentBtt());
    }

    @Test
    void anApprovedRateBelowTheAskSaysSo() throws Exception {
        BoostStatus s = boostWith(BTT.multiply(BigInteger.valueOf(50)), BTT.multiply(BigInteger.valueOf(50)), "the approved rate");
        assertEquals("the approved rate of 50 BTT/GiB is below the sellers' ask of 100 BTT/GiB", s.note());
        assertEquals("100", s.askBtt());
        assertFalse(new BigInteger(s.rateBaseUnits()).compareTo(ASK) >= 0);
    }
}
