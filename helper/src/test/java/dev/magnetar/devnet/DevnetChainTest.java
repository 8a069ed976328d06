package dev.magnetar.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tron.trident.proto.Chain.Transaction;
import org.tron.trident.proto.Response.TransactionReturn.response_code;

/** A devnet left running makes a block every few seconds for weeks: memory must not follow the chain's length. */
class DevnetChainTest {

    private static final int KEPT = 16;

    @TempDir
    Path dataDir;

    private static Transaction referencing(long number, byte[] blockId) {
        byte[] numberBytes = ByteBuffer.allocate(8).putLong(number).array();
        return Transaction.newBuilder().setRawData(Transaction.raw.newBuilder()
                .setRefBlockBytes(ByteString.copyFrom(numberBytes, 6, 2))
                .setRefBlockHash(ByteString.copyFrom(Arrays.copyOfRange(blockId, 8, 16)))
                .setExpiration(System.currentTimeMillis() + 60_000)
                .addContract(Transaction.Contract.newBuilder().setType(Transaction.Contract.ContractType.TransferContract)))
                .build();
    }

    @Test
    void aLongChainKeepsGenesisAndItsNewestBlocksInMemoryAndStillChecksOlderReferences() throws Exception {
        long chainId;
        try (DevnetChain chain = DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT)) {
            chainId = chain.chainId();
            for (int i = 0; i < 100; i++) {
                chain.produceBlock();
            }
            assertEquals(100, chain.head().number());
            assertTrue(chain.blocksInMemory() <= 2 * KEPT + 1, "blocks in memory: " + chain.blocksInMemory());
            assertEquals(0, chain.blockByNumber(0).orElseThrow().number(), "genesis stays: clients read the chain id from it");
            assertEquals(98, chain.solidHead().number());
            assertEquals(100 - KEPT + 1, chain.blockByNumber(100 - KEPT + 1).orElseThrow().number());
            assertTrue(chain.blockByNumber(60).isEmpty(), "an old block is only in the chain log");
        }
        try (DevnetChain reopened = DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT)) {
            assertEquals(100, reopened.head().number(), "replayed from the log");
            assertEquals(chainId, reopened.chainId());
            assertTrue(reopened.blocksInMemory() <= 2 * KEPT + 1);
        }
    }

    @Test
    void aTransactionReferencingABlockNoLongerInMemoryPassesTaposAndAWrongHashDoesNot() throws Exception {
        try (DevnetChain chain = DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT)) {
            byte[] id20 = null;
            for (int i = 0; i < 100; i++) {
                DevnetChain.StoredBlock b = chain.produceBlock();
                if (b.number() == 20) {
                    id20 = b.id();
                }
            }
            assertTrue(chain.blockByNumber(20).isEmpty());
            // TaPoS passes, so a later check speaks (the transfer names no owner and carries no signature).
            response_code later = chain.broadcast(referencing(20, id20)).getCode();
            assertTrue(later != response_code.TAPOS_ERROR && later != response_code.SUCCESS, later.toString());
            byte[] wrong = id20.clone();
            wrong[10] ^= 1;
            assertEquals(response_code.TAPOS_ERROR, chain.broadcast(referencing(20, wrong)).getCode());
        }
    }

    @Test
    void keepingNoMoreBlocksThanTheConfirmationsIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DevnetChain.open(dataDir, Clock.systemUTC(), 19, 19));
    }
}
