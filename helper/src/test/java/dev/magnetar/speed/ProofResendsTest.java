package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a confirmed payment's notice goes out again (rule P7, §4.5), and when never. */
class ProofResendsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String TX = "ab".repeat(32);
    private final Object connection = new Object();
    private final ProofResends resends = new ProofResends(Duration.ofSeconds(180));

    @Test
    void aNoticeThePayeeSaysItLacksGoesOutAgainOncePerAnswer() {
        resends.sent(TX, connection, 0);
        assertFalse(resends.resendNow(TX, connection, SECOND), "not answered yet, not timed out");
        resends.answered(TX, SpeedMessage.PaymentAck.Status.NOT_HELD);
        assertTrue(resends.resendNow(TX, connection, 2 * SECOND));
        assertFalse(resends.resendNow(TX, connection, 3 * SECOND), "once per answer, not on every tick");
        resends.answered(TX, SpeedMessage.PaymentAck.Status.NOT_HELD);
        assertTrue(resends.resendNow(TX, connection, 4 * SECOND));
    }

    @Test
    void aCreditedOrRejectedNoticeNeverGoesOutAgainEvenOnANewConnection() {
        resends.sent(TX, connection, 0);
        resends.answered(TX, SpeedMessage.PaymentAck.Status.CREDITED);
        assertFalse(resends.resendNow(TX, new Object(), 1000 * SECOND));
        String other = "cd".repeat(32);
        resends.sent(other, connection, 0);
        resends.answered(other, SpeedMessage.PaymentAck.Status.REJECTED);
        assertFalse(resends.resendNow(other, new Object(), 1000 * SECOND));
    }

    @Test
    void aPendingNoticeWaitsOnItsConnectionButGoesToANewOne() {
        resends.sent(TX, connection, 0);
        resends.answered(TX, SpeedMessage.PaymentAck.Status.PENDING);
        assertFalse(resends.resendNow(TX, connection, 1000 * SECOND), "the payee holds it");
        assertTrue(resends.resendNow(TX, new Object(), 1000 * SECOND), "a new connection: the payee may have restarted");
    }

    @Test
    void anUnansweredNoticeGoesOutAgainAfterTheTimeoutAtMostThreeTimes() {
        resends.sent(TX, connection, 0);
        assertFalse(resends.resendNow(TX, connection, 179 * SECOND));
        long now = 180 * SECOND;
        for (int i = 1; i <= ProofResends.MAX_RESENDS; i++) {
            assertTrue(resends.resendNow(TX, connection, now), "repeat " + i);
            now += 180 * SECOND;
        }
        assertFalse(resends.resendNow(TX, connection, now));
        assertFalse(resends.resendNow(TX, new Object(), now + 1000 * SECOND), "bounded whatever the trigger");
        assertEquals(ProofResends.MAX_RESENDS, resends.resends(TX));
    }

    @Test
    void aPaymentKnownOnlyFromTheLedgerAfterARestartIsProvedOnce() {
        assertTrue(resends.resendNow(TX, connection, 0), "nothing known of its answer: prove it on this connection");
        assertFalse(resends.resendNow(TX, connection, SECOND));
    }
}
