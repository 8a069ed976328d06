package dev.magnetar.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.file.Path;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tron.trident.api.GrpcAPI.BytesMessage;
import org.tron.trident.core.ApiWrapper;
import org.tron.trident.core.exceptions.IllegalException;
import org.tron.trident.core.key.KeyPair;
import org.tron.trident.proto.Chain.Transaction;
import org.tron.trident.proto.Contract.TransferContract;
import org.tron.trident.proto.Response.TransactionReturn;
import org.tron.trident.proto.Response.TransactionReturn.response_code;

/** The devnet validates what Trident sends exactly as a TRON node would; all over loopback gRPC. */
class DevnetTest {

    private static final long TRX = 1_000_000L;

    @TempDir
    Path dataDir;

    private Devnet devnet;
    private ApiWrapper alice;
    private KeyPair aliceKey;
    private KeyPair bobKey;

    @BeforeEach
    void start() throws Exception {
        devnet = Devnet.start(Devnet.Config.onDemand(dataDir));
        aliceKey = KeyPair.generate();
        bobKey = KeyPair.generate();
        alice = new ApiWrapper(devnet.endpoint(), devnet.endpoint(), aliceKey.toPrivateKey());
        devnet.faucet(address(aliceKey), 100 * TRX, BigInteger.ZERO);
    }

    @AfterEach
    void stop() {
        alice.close();
        devnet.close();
    }

    private static ByteString address(KeyPair key) {
        return ByteString.copyFrom(ApiWrapper.parseAddress(key.toBase58CheckAddress()).toByteArray());
    }

    private Transaction signedTransfer(long sun) throws IllegalException {
        return alice.signTransaction(alice.transfer(aliceKey.toBase58CheckAddress(), bobKey.toBase58CheckAddress(), sun));
    }

    private TransactionReturn broadcast(Transaction tx) {
        return alice.blockingStub.broadcastTransaction(tx);
    }

    /** A helper that uses a devnet another process serves learns its chain id from the chain, as any TRON client would. */
    @Test
    void aClientReadsTheChainIdFromTheGenesisBlockAndTheServerRecordsWhereItServes() throws Exception {
        try (TronChainClient client = new TronChainClient(TronNetwork.devnet(devnet.endpoint()))) {
            assertEquals(devnet.chainId(), client.chainId());
        }
        assertEquals(devnet.endpoint(), DevnetEndpointFile.read(dataDir).orElseThrow());
        try (TronChainClient mainnet = new TronChainClient(TronNetwork.mainnet().withEndpoint(devnet.endpoint()))) {
            assertEquals(728126428L, mainnet.chainId(), "a published chain id is not asked for");
        }
    }

    @Test
    void transferSignedByTridentIsAcceptedAndLandsInTheNextBlock() throws Exception {
        String txid = alice.broadcastTransaction(signedTransfer(7 * TRX));
        DevnetChain.StoredBlock block = devnet.produceBlock();

        assertEquals(93 * TRX, alice.getAccountBalance(aliceKey.toBase58CheckAddress()));
        assertEquals(7 * TRX, alice.getAccountBalance(bobKey.toBase58CheckAddress()));
        assertEquals(block.number(), alice.getTransactionInfoById(txid).getBlockNumber());
        assertEquals(Transaction.Result.contractResult.SUCCESS, alice.getTransactionById(txid).getRet(0).getContractRet());
        assertEquals(block.number(), alice.getNowBlock().getBlockHeader().getRawData().getNumber());
    }

    @Test
    void tamperedRawDataIsRejectedWithSigError() throws Exception {
        Transaction signed = signedTransfer(TRX);
        Transaction.raw raw = signed.getRawData();
        TransferContract original = raw.getContract(0).getParameter().unpack(TransferContract.class);
        Transaction tampered = signed.toBuilder().setRawData(raw.toBuilder().setContract(0, raw.getContract(0).toBuilder()
                .setParameter(com.google.protobuf.Any.pack(original.toBuilder().setAmount(original.getAmount() + 1).build())))).build();

        TransactionReturn result = broadcast(tampered);

        assertEquals(response_code.SIGERROR, result.getCode());
        assertFalse(result.getResult());
        assertEquals(0, devnet.chain().pendingCount());
    }

    @Test
    void flippedSignatureByteIsRejectedWithSigError() throws Exception {
        Transaction signed = signedTransfer(TRX);
        byte[] sig = signed.getSignature(0).toByteArray();
        sig[5] ^= 0x01;

        TransactionReturn result = broadcast(signed.toBuilder().setSignature(0, ByteString.copyFrom(sig)).build());

        assertEquals(response_code.SIGERROR, result.getCode());
    }

    @Test
    void transactionSignedBySomeoneElseIsRejectedWithSigError() throws Exception {
        Transaction unsigned = alice.transfer(aliceKey.toBase58CheckAddress(), bobKey.toBase58CheckAddress(), TRX).getTransaction();
        Transaction signedByBob = alice.signTransaction(unsigned, bobKey);

        TransactionReturn result = broadcast(signedByBob);

        assertEquals(response_code.SIGERROR, result.getCode());
        assertTrue(result.getMessage().toStringUtf8().contains("not contained of permission"), result.getMessage().toStringUtf8());
    }

    @Test
    void expiredTransactionIsRejected() throws Exception {
        Transaction unsigned = alice.transfer(aliceKey.toBase58CheckAddress(), bobKey.toBase58CheckAddress(), TRX).getTransaction();
        long headTime = devnet.chain().head().timestamp();
        Transaction expired = alice.signTransaction(unsigned.toBuilder()
                .setRawData(unsigned.getRawData().toBuilder().setExpiration(headTime)).build(), aliceKey);

        TransactionReturn result = broadcast(expired);

        assertEquals(response_code.TRANSACTION_EXPIRATION_ERROR, result.getCode());
    }

    @Test
    void unknownReferenceBlockIsRejectedWithTaposError() throws Exception {
        Transaction unsigned = alice.transfer(aliceKey.toBase58CheckAddress(), bobKey.toBase58CheckAddress(), TRX).getTransaction();
        Transaction foreign = alice.signTransaction(unsigned.toBuilder()
                .setRawData(unsigned.getRawData().toBuilder().setRefBlockHash(ByteString.copyFrom(new byte[8]))).build(), aliceKey);

        assertEquals(response_code.TAPOS_ERROR, broadcast(foreign).getCode());
    }

    @Test
    void replayIsRejectedAsDuplicateBothPendingAndIncluded() throws Exception {
        Transaction signed = signedTransfer(TRX);
        assertEquals(response_code.SUCCESS, broadcast(signed).getCode());
        assertEquals(response_code.DUP_TRANSACTION_ERROR, broadcast(signed).getCode());

        devnet.produceBlock();

        assertEquals(response_code.DUP_TRANSACTION_ERROR, broadcast(signed).getCode());
        assertEquals(99 * TRX, alice.getAccountBalance(aliceKey.toBase58CheckAddress()));
    }

    @Test
    void overspendIsRejectedWithContractValidateError() throws Exception {
        assertEquals(response_code.SUCCESS, broadcast(signedTransfer(60 * TRX)).getCode());

        TransactionReturn second = broadcast(signedTransfer(50 * TRX));

        assertEquals(response_code.CONTRACT_VALIDATE_ERROR, second.getCode());
        assertTrue(second.getMessage().toStringUtf8().contains("balance is not sufficient"));
    }

    @Test
    void solidityViewSeesATransactionOnlyAfterConfirmations() throws Exception {
        String txid = alice.broadcastTransaction(signedTransfer(TRX));
        devnet.produceBlock();
        BytesMessage id = BytesMessage.newBuilder().setValue(ByteString.fromHex(txid)).build();
        assertEquals(0, alice.blockingStubSolidity.getTransactionInfoById(id).getBlockNumber());

        for (int i = 0; i < Devnet.DEFAULT_CONFIRMATIONS; i++) {
            devnet.produceBlock();
        }

        assertEquals(1, alice.blockingStubSolidity.getTransactionInfoById(id).getBlockNumber());
        assertEquals(1, alice.getNowBlockSolidity().getBlockHeader().getRawData().getNumber());
    }

    @Test
    void chainSurvivesRestartFromItsDataDirectory() throws Exception {
        String txid = alice.broadcastTransaction(signedTransfer(5 * TRX));
        devnet.produceBlock();
        long chainId = devnet.chainId();
        byte[] headId = devnet.chain().head().id();
        alice.close();
        devnet.close();

        devnet = Devnet.start(Devnet.Config.onDemand(dataDir));
        alice = new ApiWrapper(devnet.endpoint(), devnet.endpoint(), aliceKey.toPrivateKey());

        assertEquals(chainId, devnet.chainId());
        assertEquals(ByteString.copyFrom(headId), ByteString.copyFrom(devnet.chain().head().id()));
        assertEquals(95 * TRX, alice.getAccountBalance(aliceKey.toBase58CheckAddress()));
        assertEquals(5 * TRX, alice.getAccountBalance(bobKey.toBase58CheckAddress()));
        assertEquals(1, alice.getTransactionInfoById(txid).getBlockNumber());
        assertEquals(response_code.DUP_TRANSACTION_ERROR, broadcast(signedTransferReplay(txid)).getCode());
    }

    private Transaction signedTransferReplay(String txid) throws IllegalException {
        return alice.getTransactionById(txid).toBuilder().clearRet().build();
    }

    @Test
    void unknownTransactionIsNotFound() {
        assertThrows(IllegalException.class, () -> alice.getTransactionInfoById("00".repeat(32)));
        assertThrows(IllegalException.class, () -> alice.getTransactionById("00".repeat(32)));
    }

    @Test
    void chainIdIsTheLastFourBytesOfTheGenesisBlockId() {
        byte[] genesisId = devnet.chain().blockByNumber(0).orElseThrow().id();
        long expected = new BigInteger(1, java.util.Arrays.copyOfRange(genesisId, 28, 32)).longValueExact();
        assertEquals(expected, devnet.chainId());
        assertNotEquals(0, devnet.chainId());
    }

    @Test
    void secondDevnetOnTheSameDataDirectoryIsRefused() {
        assertThrows(DevnetInUseException.class, () -> Devnet.start(Devnet.Config.onDemand(dataDir)));
    }

    @Test
    void bttContractAnswersDecimalsAndBalanceThroughTrident() throws Exception {
        devnet.faucet(address(aliceKey), 0, new BigInteger("1234500000000000000000"));
        String contract = org.tron.trident.utils.Base58Check.bytesToBase58(DevnetChain.BTT_CONTRACT.toByteArray());
        var decimals = alice.triggerConstantContract(aliceKey.toBase58CheckAddress(), contract, "313ce567");
        var balance = alice.triggerConstantContract(aliceKey.toBase58CheckAddress(), contract,
                "70a08231" + "0".repeat(24) + ApiWrapper.toHex(address(aliceKey).substring(1)));
        assertEquals(BigInteger.valueOf(18), new BigInteger(1, decimals.getConstantResult(0).toByteArray()));
        assertEquals(new BigInteger("1234500000000000000000"), new BigInteger(1, balance.getConstantResult(0).toByteArray()));
        assertEquals("transfer", alice.getContract(contract).getAbi().getEntrys(0).getName());
    }
}
