package dev.magnetar.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tron.trident.core.ApiWrapper;
import org.tron.trident.core.key.KeyPair;
import org.tron.trident.proto.Chain.Transaction;
import org.tron.trident.proto.Contract.TransferContract;
import org.tron.trident.proto.Contract.TriggerSmartContract;
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
    void theHelpersChainKeepsMinutesOfBlocksInMemoryAndSnapshotsOnlyEveryThousandEntries() throws Exception {
        int confirmations = 19;
        int made = 600; // half an hour of blocks at the default 3 s interval
        try (DevnetChain chain = DevnetChain.open(dataDir, Clock.systemUTC(), confirmations)) {
            for (int i = 0; i < made; i++) {
                chain.produceBlock();
            }
            // With 1,024 kept (the snapshot's count) every block of the hour stayed in the heap, ~400 bytes each.
            long minutes = chain.blocksInMemory() * Devnet.DEFAULT_BLOCK_INTERVAL.toSeconds() / 60;
            assertTrue(minutes <= 13, chain.blocksInMemory() + " blocks in memory, " + minutes + " minutes of them");
            assertEquals(made - confirmations, chain.solidHead().number(), "the solid head is still served");
            assertEquals(made, logLines(), "no snapshot (512 KiB of TaPoS ids) every few minutes: the log holds every entry");
        }
        try (DevnetChain reopened = DevnetChain.open(dataDir, Clock.systemUTC(), confirmations)) {
            assertEquals(made, reopened.head().number(), "replayed from the log");
            assertTrue(reopened.blocksInMemory() <= 2 * DevnetChain.RECENT_BLOCKS + 1, "after replay: " + reopened.blocksInMemory());
            assertEquals(made - confirmations, reopened.solidHead().number());
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

    private static final long TRX = 1_000_000;

    private static ByteString address(KeyPair key) {
        return ByteString.copyFrom(ApiWrapper.parseAddress(key.toBase58CheckAddress()).toByteArray());
    }

    private static Transaction signed(DevnetChain chain, KeyPair owner, Transaction.Contract.ContractType type, com.google.protobuf.Message contract) {
        DevnetChain.StoredBlock head = chain.head();
        Transaction.raw raw = Transaction.raw.newBuilder()
                .setRefBlockBytes(ByteString.copyFrom(BlockIds.refBlockBytes(head.number())))
                .setRefBlockHash(ByteString.copyFrom(BlockIds.refBlockHash(head.id())))
                .setExpiration(head.timestamp() + 3_600_000)
                .setFeeLimit(100 * TRX)
                .addContract(Transaction.Contract.newBuilder().setType(type).setParameter(Any.pack(contract)))
                .build();
        byte[] signature = KeyPair.signTransaction(Hashes.sha256(raw.toByteArray()), owner);
        return Transaction.newBuilder().setRawData(raw).addSignature(ByteString.copyFrom(signature)).build();
    }

    private static Transaction trxTransfer(DevnetChain chain, KeyPair from, KeyPair to, long sun) {
        return signed(chain, from, Transaction.Contract.ContractType.TransferContract, TransferContract.newBuilder()
                .setOwnerAddress(address(from)).setToAddress(address(to)).setAmount(sun).build());
    }

    /** TRC-20 transfer(address,uint256): selector a9059cbb, the 20-byte address and the amount as 32-byte words. */
    private static Transaction bttTransfer(DevnetChain chain, KeyPair from, KeyPair to, BigInteger units) {
        String data = "a9059cbb" + "0".repeat(24) + HexFormat.of().formatHex(address(to).substring(1).toByteArray())
                + String.format("%64s", units.toString(16)).replace(' ', '0');
        return signed(chain, from, Transaction.Contract.ContractType.TriggerSmartContract, TriggerSmartContract.newBuilder()
                .setOwnerAddress(address(from)).setContractAddress(DevnetChain.BTT_CONTRACT)
                .setData(ByteString.fromHex(data)).build());
    }

    private long bytesOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("chain")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private long logLines() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
                try {
                    return Files.readAllLines(f).size();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    @Test
    void theChainOnDiskStaysBoundedAndARestartRestoresBalancesTokenStateAndAPaymentInFlight() throws Exception {
        KeyPair alice = KeyPair.generate();
        KeyPair bob = KeyPair.generate();
        BigInteger tenBtt = BigInteger.TEN.pow(19);
        String inFlightId;
        long bytesAt101;
        try (DevnetChain chain = DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT)) {
            chain.faucet(address(alice), 1_000 * TRX, tenBtt);
            assertEquals(response_code.SUCCESS, chain.broadcast(trxTransfer(chain, alice, bob, 7 * TRX)).getCode());
            assertEquals(response_code.SUCCESS, chain.broadcast(bttTransfer(chain, alice, bob, BigInteger.valueOf(12_345))).getCode());
            chain.produceBlock();
            assertEquals(BigInteger.valueOf(12_345), chain.bttBalance(address(bob)), "the token transfer executed");
            for (int i = 0; i < 100; i++) {
                chain.produceBlock();
            }
            bytesAt101 = bytesOnDisk();
            for (int i = 0; i < 500; i++) {
                chain.produceBlock();
            }
            // Without snapshots the log held every block, ~150 bytes each (75 KiB more here; 4 MiB a day by default).
            // What may grow: the TaPoS ids of each block (8 bytes, base64), up to java-tron's window of 65,536.
            assertTrue(bytesOnDisk() < bytesAt101 + 8 * 1024, "chain files " + bytesOnDisk() + " bytes after 601 blocks, "
                    + bytesAt101 + " after 101");
            assertTrue(logLines() <= KEPT, "log lines after the last snapshot: " + logLines());
            Transaction inFlight = trxTransfer(chain, alice, bob, 3 * TRX);
            inFlightId = DevnetChain.hex(DevnetChain.txid(inFlight));
            assertEquals(response_code.SUCCESS, chain.broadcast(inFlight).getCode(), "acknowledged, then the helper stops");
        }
        long aliceSun;
        try (DevnetChain reopened = DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT)) {
            assertEquals(601, reopened.head().number());
            assertEquals(7 * TRX, reopened.trxBalanceSun(address(bob)));
            assertEquals(BigInteger.valueOf(12_345), reopened.bttBalance(address(bob)));
            assertEquals(tenBtt.subtract(BigInteger.valueOf(12_345)), reopened.bttBalance(address(alice)));
            aliceSun = reopened.trxBalanceSun(address(alice));
            assertTrue(aliceSun < 993 * TRX, "the token transfer's energy fee stays paid: " + aliceSun);
            assertEquals(1, reopened.pendingCount(), "the payment in flight is still pending");
            assertEquals(601 - 2, reopened.solidHead().number());
            reopened.produceBlock();
            assertEquals(10 * TRX, reopened.trxBalanceSun(address(bob)), "and executes in the next block");
            assertTrue(reopened.includedTransaction(ByteString.fromHex(inFlightId)).isPresent());
        }
        try (DevnetChain again = DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT)) {
            assertEquals(0, again.pendingCount(), "executed once, never twice");
            assertEquals(aliceSun - 3 * TRX, again.trxBalanceSun(address(alice)));
            assertEquals(10 * TRX, again.trxBalanceSun(address(bob)));
        }
    }

    @Test
    void aLogThatACrashLeftBesideANewerSnapshotIsNotReplayedTwice() throws Exception {
        KeyPair alice = KeyPair.generate();
        Path stale = dataDir.resolve("stale.copy");
        try (DevnetChain chain = DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT)) {
            chain.faucet(address(alice), 5 * TRX, BigInteger.ONE);
            for (int i = 0; i < KEPT / 2; i++) {
                chain.produceBlock();
            }
            Files.copy(dataDir.resolve("chain.log"), stale); // the first log, not yet replaced by a snapshot
            for (int i = 0; i < 3 * KEPT; i++) {
                chain.produceBlock();
            }
            assertTrue(Files.notExists(dataDir.resolve("chain.log")), "the first log was replaced by a snapshot");
        }
        // A crash between writing a snapshot and deleting the log it replaces leaves that log behind.
        Files.move(stale, dataDir.resolve("chain.log"));
        try (DevnetChain reopened = DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT)) {
            assertEquals(5 * TRX, reopened.trxBalanceSun(address(alice)), "the faucet credit counted once");
            assertEquals(3 * KEPT + KEPT / 2, reopened.head().number());
        }
        assertTrue(Files.notExists(dataDir.resolve("chain.log")), "the stale log is deleted");
    }

    @Test
    void aCorruptSnapshotStopsTheDevnetWithAClearErrorAndIsKept() throws Exception {
        try (DevnetChain chain = DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT)) {
            for (int i = 0; i < 2 * KEPT; i++) {
                chain.produceBlock();
            }
        }
        Path snapshot = dataDir.resolve(ChainSnapshot.FILE);
        Files.writeString(snapshot, "{\"generation\": 3, \"trxSun\": ");
        DevnetStorageException e = org.junit.jupiter.api.Assertions.assertThrows(DevnetStorageException.class,
                () -> DevnetChain.open(dataDir, Clock.systemUTC(), 2, KEPT));
        assertTrue(e.getMessage().contains(ChainSnapshot.FILE), e.getMessage());
        assertTrue(Files.exists(snapshot), "nothing is thrown away: the user's balances are in it");
        try (Stream<Path> logs = Files.list(dataDir)) {
            assertTrue(logs.anyMatch(f -> f.getFileName().toString().endsWith(".log")), "nor the log");
        }
    }

    /** A clock the test moves: the chain's block times, and so which transactions have expired. */
    private static final class MovingClock extends Clock {
        private long millis;

        MovingClock(long millis) {
            this.millis = millis;
        }

        void advance(long by) {
            millis += by;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theTransactionIndexForgetsPaymentsOnlyOnceTheyAreDeepAndExpiredAndNeverExecutesOneTwice() throws Exception {
        int deep = 8;
        KeyPair alice = KeyPair.generate();
        KeyPair bob = KeyPair.generate();
        MovingClock clock = new MovingClock(1_700_000_000_000L);
        Transaction first;
        Transaction second;
        try (DevnetChain chain = DevnetChain.open(dataDir, clock, 2, KEPT, deep)) {
            chain.faucet(address(alice), 1_000 * TRX, BigInteger.ZERO);
            first = trxTransfer(chain, alice, bob, 7 * TRX); // expires an hour after the head it names
            assertEquals(response_code.SUCCESS, chain.broadcast(first).getCode());
            for (int i = 0; i < 3 * deep; i++) {
                clock.advance(3_000);
                chain.produceBlock();
            }
            assertTrue(chain.includedTransaction(DevnetChain.txid(first)).isPresent(), "deep but not expired: kept");
            assertEquals(response_code.DUP_TRANSACTION_ERROR, chain.broadcast(first).getCode());

            second = trxTransfer(chain, alice, bob, 5 * TRX);
            assertEquals(response_code.SUCCESS, chain.broadcast(second).getCode());
            clock.advance(3_000);
            chain.produceBlock();
            clock.advance(2 * 3_600_000); // both expired now
            chain.produceBlock();
            assertTrue(chain.includedTransaction(DevnetChain.txid(first)).isEmpty(), "deep and expired: forgotten");
            assertTrue(chain.includedTransaction(DevnetChain.txid(second)).isPresent(), "expired but two blocks deep: kept");
            assertEquals(1, chain.includedCount());
            assertEquals(response_code.TRANSACTION_EXPIRATION_ERROR, chain.broadcast(first).getCode(),
                    "a forgotten payment sent again is refused as expired, before any duplicate check");
            assertEquals(12 * TRX, chain.trxBalanceSun(address(bob)));

            for (int i = 0; i < 4 * KEPT; i++) { // payments in many blocks, through snapshots: the index stays bounded
                Transaction t = trxTransfer(chain, alice, bob, 1);
                assertEquals(response_code.SUCCESS, chain.broadcast(t).getCode());
                clock.advance(600_000); // each expires six blocks later
                chain.produceBlock();
                assertTrue(chain.includedCount() <= deep + 1, "included transactions held: " + chain.includedCount());
            }
            assertTrue(chain.includedTransaction(DevnetChain.txid(second)).isEmpty());
        }
        try (DevnetChain reopened = DevnetChain.open(dataDir, clock, 2, KEPT, deep)) {
            assertEquals(12 * TRX + 4 * KEPT, reopened.trxBalanceSun(address(bob)), "nothing forgotten is executed again");
            assertTrue(reopened.includedCount() <= deep + 1, "after a restart: " + reopened.includedCount());
            assertTrue(reopened.includedCount() > 0, "the newest payments are still answered");
            assertEquals(response_code.TRANSACTION_EXPIRATION_ERROR, reopened.broadcast(first).getCode());
        }
    }
}
