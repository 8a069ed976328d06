package dev.magnetar.wallet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The client connects on first use; once closed it refuses calls instead of connecting again. */
class TronChainClientTest {

    /** Nothing listens on the discard port: a call that did connect would fail as unreachable instead. */
    private static final TronNetwork NOWHERE = TronNetwork.devnet("127.0.0.1:9");

    @Test
    void aClosedClientRefusesCallsWithAChainError() {
        TronChainClient client = new TronChainClient(NOWHERE);
        client.close(); // never used: nothing was connected, and closing is fine
        TronAddress someone = TronKey.generate(new SecureRandom()).address();

        ChainException e = assertThrows(ChainException.class, () -> client.trxBalanceSun(someone));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
