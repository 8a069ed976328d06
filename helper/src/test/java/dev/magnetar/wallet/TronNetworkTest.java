package dev.magnetar.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

/** The devnet's BTT contract address, written out in TronNetwork, is the one its label derives. */
class TronNetworkTest {

    @Test
    void theDevnetBttContractIsPrefixAndTheLast20BytesOfKeccakOfItsLabel() {
        byte[] label = TronNetwork.DEVNET_BTT_LABEL.getBytes(StandardCharsets.US_ASCII);
        KeccakDigest keccak = new KeccakDigest(256);
        keccak.update(label, 0, label.length);
        byte[] hash = new byte[32];
        keccak.doFinal(hash, 0);
        byte[] expected = new byte[21];
        expected[0] = 0x41;
        System.arraycopy(hash, 12, expected, 1, 20);
        assertArrayEquals(expected, TronNetwork.DEVNET_BTT_CONTRACT.bytes());
        assertEquals(TronNetwork.DEVNET_BTT_CONTRACT, TronNetwork.devnet().bttContract().orElseThrow(), "the devnet network carries it");
    }
}
