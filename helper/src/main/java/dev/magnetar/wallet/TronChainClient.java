package dev.magnetar.wallet;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tron.trident.abi.TypeReference;
import org.tron.trident.abi.datatypes.Address;
import org.tron.trident.abi.datatypes.Bool;
import org.tron.trident.abi.datatypes.Function;
import org.tron.trident.abi.datatypes.generated.Uint256;
import org.tron.trident.abi.datatypes.generated.Uint8;
import org.tron.trident.api.GrpcAPI.BlockReq;
import org.tron.trident.api.GrpcAPI.BytesMessage;
import org.tron.trident.api.GrpcAPI.EmptyMessage;
import org.tron.trident.core.ApiWrapper;
import org.tron.trident.core.exceptions.IllegalException;
import org.tron.trident.proto.Chain.Transaction;
import org.tron.trident.proto.Chain.Transaction.Result.contractResult;
import org.tron.trident.proto.Response.BlockExtention;
import org.tron.trident.proto.Response.ChainParameters;
import org.tron.trident.proto.Response.EstimateEnergyMessage;
import org.tron.trident.proto.Response.TransactionExtention;
import org.tron.trident.proto.Response.TransactionInfo;
import org.tron.trident.proto.Response.TransactionReturn;

/**
 * The wallet's view of a TRON network, through Trident's {@link ApiWrapper} (the same code path for
 * the embedded devnet, Nile and mainnet): TRX and BTT balances, building and signing TRX and TRC-20
 * BTT transfers, broadcasting, and confirmation status.
 *
 * <p>Signing is always done here with a {@link TronKey}; Trident's own key (which its constructor
 * insists on) is a throwaway that never signs anything.
 */
public final class TronChainClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TronChainClient.class);
    private static final int CALL_TIMEOUT_MILLIS = 15_000;
    private static final byte[] TRANSFER_TOPIC = keccak("Transfer(address,address,uint256)");

    /**
     * Energy assumed for a TRC-20 transfer when the node does not offer EstimateEnergy (public nodes
     * often disable it): above mainnet's ~29,650 for a transfer to a new holder, with margin.
     */
    static final long FALLBACK_TRANSFER_ENERGY = 65_000;
    /** Sun per energy assumed when the node does not serve chain parameters (the highest price mainnet has used). */
    static final long FALLBACK_ENERGY_PRICE_SUN = 420;
    /** Size of a signed TRC-20 transfer on the wire (raw data, one signature, result), for bandwidth when no dry run gives it. */
    static final long TYPICAL_TRANSFER_BYTES = 345;
    /** What a dry run's unsigned transaction lacks of the broadcast one: a 65-byte signature, its framing and the result. */
    static final long SIGNATURE_AND_RESULT_BYTES = 70;
    /** Headroom over the estimate so a small price or state change between estimate and block does not fail the call. */
    static final int FEE_LIMIT_MARGIN_PERCENT = 20;

    private final TronNetwork network;
    private final ApiWrapper api;
    private volatile Long genesisChainId; // read once: a chain's genesis never changes

    public TronChainClient(TronNetwork network) {
        this.network = network;
        String throwawayKey = HexFormat.of().formatHex(TronKey.generate(new SecureRandom()).privateKeyBytes());
        this.api = new ApiWrapper(network.fullNodeEndpoint(), network.solidityEndpoint(), throwawayKey, CALL_TIMEOUT_MILLIS);
    }

    public TronNetwork network() {
        return network;
    }

    // ------------------------------------------------------------------ balances

    public long trxBalanceSun(TronAddress owner) throws ChainException {
        return call(() -> api.getAccount(owner.toBase58()).getBalance());
    }

    public BigInteger bttBalance(TronAddress owner) throws ChainException {
        TransactionExtention ext = constantCall(owner, new Function("balanceOf", List.of(new Address(owner.toBase58())),
                List.of(new TypeReference<Uint256>() {})));
        return new BigInteger(1, ext.getConstantResult(0).toByteArray());
    }

    // ------------------------------------------------------------------ building and signing

    /** A TRX transfer built the way Trident builds it (reference = solid head, expiry = head + 60 s), signed with {@code from}. */
    public SignedTransaction signTrxTransfer(TronKey from, TronAddress to, long sun) throws ChainException {
        if (sun <= 0) {
            throw new TransactionRejectedException("CONTRACT_VALIDATE_ERROR", "Amount must be greater than 0.");
        }
        Transaction unsigned = call(() -> {
            try {
                return api.transfer(from.address().toBase58(), to.toBase58(), sun).getTransaction();
            } catch (IllegalException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        return sign(unsigned, from);
    }

    /**
     * A TRC-20 {@code transfer(to, amount)} on the network's BTT contract, dry-run first (a transfer the
     * token would refuse is refused here, before anything is signed), with a fee limit from the chain's
     * energy price and the node's energy estimate.
     */
    public SignedTransaction signBttTransfer(TronKey from, TronAddress to, BigInteger baseUnits)
            throws ChainException, UnknownNetworkException, InsufficientTrxException {
        return signBttTransfer(from, to, baseUnits, 0);
    }

    /**
     * As {@link #signBttTransfer(TronKey, TronAddress, BigInteger)}, with {@code transfersInFlight} of
     * ours sent but not yet mined: the TRX balance does not show their fees yet, so it must cover theirs
     * too (each counted at this transfer's fee).
     */
    public SignedTransaction signBttTransfer(TronKey from, TronAddress to, BigInteger baseUnits, int transfersInFlight)
            throws ChainException, UnknownNetworkException, InsufficientTrxException {
        if (baseUnits.signum() <= 0) {
            throw new TransactionRejectedException("CONTRACT_VALIDATE_ERROR", "BTT amount must be greater than 0");
        }
        Function transfer = new Function("transfer", List.of(new Address(to.toBase58()), new Uint256(baseUnits)),
                List.of(new TypeReference<Bool>() {}));
        TransactionExtention dryRun = constantCall(from.address(), transfer);
        if (dryRun.getConstantResultCount() == 0 || new BigInteger(1, dryRun.getConstantResult(0).toByteArray()).signum() == 0) {
            throw new TransactionRejectedException("CONTRACT_EXE_ERROR", "the BTT contract would not accept this transfer");
        }
        long feeLimit = feeLimitSun(from.address(), transfer);
        // What this transfer burns: the dry run's energy at the chain's price (the fee limit, with its margin, when the node
        // reports none). With less TRX the node would still mine it and burn the TRX there is, for nothing (OUT_OF_ENERGY).
        long fee = dryRun.getEnergyUsed() > 0 ? Math.multiplyExact(dryRun.getEnergyUsed(), energyPriceSun()) : feeLimit;
        long trx = trxBalanceSun(from.address());
        if (trx < Math.multiplyExact(fee, 1L + transfersInFlight)) {
            throw new InsufficientTrxException(trx, fee, transfersInFlight);
        }
        Transaction unsigned = dryRun.getTransaction().toBuilder()
                .clearRet()
                .setRawData(dryRun.getTransaction().getRawData().toBuilder().setFeeLimit(feeLimit))
                .build();
        return sign(unsigned, from);
    }

    /** Fee ceiling for a contract call: estimated energy × the chain's energy price, plus margin, capped at the chain's maximum. */
    public long feeLimitSun(TronAddress caller, Function function) throws ChainException, UnknownNetworkException {
        long energy = estimateEnergy(caller, function);
        long price = FALLBACK_ENERGY_PRICE_SUN;
        long max = Long.MAX_VALUE;
        Optional<ChainParameters> params = chainParameters();
        if (params.isPresent()) {
            for (ChainParameters.ChainParameter p : params.get().getChainParameterList()) {
                if (p.getKey().equals("getEnergyFee")) {
                    price = p.getValue();
                } else if (p.getKey().equals("getMaxFeeLimit")) {
                    max = p.getValue();
                }
            }
        }
        long withMargin = Math.multiplyExact(energy, 100 + FEE_LIMIT_MARGIN_PERCENT) / 100;
        return Math.min(max, Math.multiplyExact(withMargin, price));
    }

    /**
     * What one BTT payment from {@code payer} is expected to burn in TRX (sun), read from the chain in
     * use: the energy a constant call of {@code transfer} uses there (the node's EstimateEnergy when the
     * dry run cannot succeed, e.g. the payer holds no BTT yet) × the chain's energy price, plus the
     * transaction's bandwidth at the chain's byte price when it names one (the worst case: no free
     * bandwidth left). The recipient is an address that never held BTT, the costlier case (TRC-20
     * writes a new balance slot), so a payment to a seller that already holds BTT costs less.
     */
    public long estimateBttTransferFeeSun(TronAddress payer) throws ChainException, UnknownNetworkException {
        TronAddress newHolder = TronKey.generate(new SecureRandom()).address();
        Function transfer = new Function("transfer", List.of(new Address(newHolder.toBase58()), new Uint256(BigInteger.ONE)),
                List.of(new TypeReference<Bool>() {}));
        long energy = 0;
        long bytes = TYPICAL_TRANSFER_BYTES;
        try {
            TransactionExtention dryRun = constantCall(payer, transfer);
            boolean succeeds = dryRun.getConstantResultCount() > 0 && new BigInteger(1, dryRun.getConstantResult(0).toByteArray()).signum() != 0;
            if (succeeds) {
                energy = dryRun.getEnergyUsed();
                bytes = dryRun.getTransaction().getSerializedSize() + SIGNATURE_AND_RESULT_BYTES;
            }
        } catch (TransactionRejectedException e) {
            LOG.debug("dry run of a BTT transfer from {} refused ({}); asking for an energy estimate", payer, e.getMessage());
        }
        if (energy <= 0) {
            energy = estimateEnergy(payer, transfer);
        }
        long energyPrice = FALLBACK_ENERGY_PRICE_SUN;
        long bytePrice = 0;
        Optional<ChainParameters> params = chainParameters();
        if (params.isPresent()) {
            for (ChainParameters.ChainParameter p : params.get().getChainParameterList()) {
                if (p.getKey().equals("getEnergyFee")) {
                    energyPrice = p.getValue();
                } else if (p.getKey().equals("getTransactionFee")) {
                    bytePrice = p.getValue();
                }
            }
        }
        return Math.addExact(Math.multiplyExact(energy, energyPrice), Math.multiplyExact(bytes, bytePrice));
    }

    private long estimateEnergy(TronAddress caller, Function function) throws ChainException, UnknownNetworkException {
        String contract = network.requireBttContract().toBase58();
        try {
            EstimateEnergyMessage estimate = api.estimateEnergy(caller.toBase58(), contract, function);
            if (estimate.getResult().getResult() && estimate.getEnergyRequired() > 0) {
                return estimate.getEnergyRequired();
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                throw translate(e);
            }
        }
        LOG.debug("node on {} offers no energy estimate; assuming {} energy", network.name(), FALLBACK_TRANSFER_ENERGY);
        return FALLBACK_TRANSFER_ENERGY;
    }

    private long energyPriceSun() throws ChainException {
        Optional<ChainParameters> params = chainParameters();
        if (params.isPresent()) {
            for (ChainParameters.ChainParameter p : params.get().getChainParameterList()) {
                if (p.getKey().equals("getEnergyFee")) {
                    return p.getValue();
                }
            }
        }
        return FALLBACK_ENERGY_PRICE_SUN;
    }

    private Optional<ChainParameters> chainParameters() throws ChainException {
        try {
            ChainParameters params = api.blockingStub.getChainParameters(EmptyMessage.getDefaultInstance());
            return params.getChainParameterCount() == 0 ? Optional.empty() : Optional.of(params);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return Optional.empty();
            }
            throw translate(e);
        }
    }

    private static SignedTransaction sign(Transaction built, TronKey key) {
        Transaction unsigned = built.toBuilder()
                .setRawData(built.getRawData().toBuilder().setTimestamp(TransactionTimestamps.next(built.getRawData().getTimestamp())))
                .build();
        byte[] txid = TransactionIds.txidBytes(unsigned);
        Transaction signed = unsigned.toBuilder().clearSignature().addSignature(ByteString.copyFrom(key.sign(txid))).build();
        return SignedTransaction.of(signed);
    }

    // ------------------------------------------------------------------ broadcast and status

    /** Sends a signed transaction; a refusal carries TRON's response code. */
    public void broadcast(SignedTransaction tx) throws ChainException {
        TransactionReturn ret = call(() -> api.blockingStub.broadcastTransaction(tx.transaction()));
        if (!ret.getResult()) {
            throw new TransactionRejectedException(ret.getCode().name(), ret.getMessage().toStringUtf8());
        }
    }

    public TransactionStatus status(String txid) throws ChainException {
        BytesMessage id = BytesMessage.newBuilder().setValue(ByteString.fromHex(txid)).build();
        TransactionInfo info = call(() -> api.blockingStub.getTransactionInfoById(id));
        if (info.getBlockTimeStamp() == 0) {
            return TransactionStatus.notFound();
        }
        contractResult receipt = info.getReceipt().getResult();
        boolean failed = info.getResult() == TransactionInfo.code.FAILED
                || (receipt != contractResult.DEFAULT && receipt != contractResult.SUCCESS);
        if (failed) {
            String why = receipt + (info.getResMessage().isEmpty() ? "" : ": " + info.getResMessage().toStringUtf8());
            return new TransactionStatus(TransactionStatus.State.FAILED, info.getBlockNumber(), info.getFee(), why);
        }
        TransactionInfo solid = call(() -> api.blockingStubSolidity.getTransactionInfoById(id));
        TransactionStatus.State state = solid.getBlockTimeStamp() != 0 ? TransactionStatus.State.CONFIRMED : TransactionStatus.State.INCLUDED;
        return new TransactionStatus(state, info.getBlockNumber(), info.getFee(), "");
    }

    /**
     * The chain id used in typed data (TIP-712): the last 4 bytes of the genesis block id, which are
     * the last 4 bytes of the SHA-256 of its header (java-tron puts the block number only in the first
     * 8). Networks that publish theirs answer without a call; a devnet, whoever serves it, is asked —
     * its genesis is made on its first start, so no client can know it in advance.
     */
    public long chainId() throws ChainException {
        if (network.chainId().isPresent()) {
            return network.chainId().get();
        }
        Long known = genesisChainId;
        if (known != null) {
            return known;
        }
        BlockReq genesisRequest = BlockReq.newBuilder().setIdOrNum("0").setDetail(false).build();
        BlockExtention genesis = call(() -> api.blockingStub.getBlock(genesisRequest));
        if (!genesis.hasBlockHeader() || genesis.getBlockHeader().getRawData().getNumber() != 0) {
            throw new ChainException("the " + network.name() + " node at " + network.fullNodeEndpoint()
                    + " did not return its genesis block, so its chain id is unknown");
        }
        byte[] hash = sha256(genesis.getBlockHeader().getRawData().toByteArray());
        byte[] claimed = genesis.getBlockid().toByteArray();
        if (claimed.length == 32 && !Arrays.equals(Arrays.copyOfRange(claimed, 8, 32), Arrays.copyOfRange(hash, 8, 32))) {
            throw new ChainException("the " + network.name() + " node at " + network.fullNodeEndpoint()
                    + " returned a genesis block whose id does not match its header");
        }
        long id = Integer.toUnsignedLong(ByteBuffer.wrap(hash, 28, 4).getInt());
        genesisChainId = id;
        return id;
    }

    /** Timestamp of the newest block: a transaction whose expiration is not after it can never be included. */
    public long headBlockTimeMillis() throws ChainException {
        return call(() -> api.blockingStub.getNowBlock(EmptyMessage.getDefaultInstance()).getBlockHeader().getRawData().getTimestamp());
    }

    /** A BTT payment to {@code recipient} carried by {@code txid}, read from the token's Transfer event in the receipt. */
    public record IncomingTransfer(TronAddress from, BigInteger baseUnits, long blockNumber) {}

    public Optional<IncomingTransfer> incomingBttTransfer(String txid, TronAddress recipient) throws ChainException, UnknownNetworkException {
        byte[] contract20 = Arrays.copyOfRange(network.requireBttContract().bytes(), 1, 21);
        BytesMessage id = BytesMessage.newBuilder().setValue(ByteString.fromHex(txid)).build();
        TransactionInfo info = call(() -> api.blockingStub.getTransactionInfoById(id));
        if (info.getBlockTimeStamp() == 0 || info.getResult() == TransactionInfo.code.FAILED) {
            return Optional.empty();
        }
        for (TransactionInfo.Log log : info.getLogList()) {
            if (log.getTopicsCount() == 3 && Arrays.equals(log.getAddress().toByteArray(), contract20)
                    && Arrays.equals(log.getTopics(0).toByteArray(), TRANSFER_TOPIC)
                    && Arrays.equals(word20(log.getTopics(2)), Arrays.copyOfRange(recipient.bytes(), 1, 21))) {
                try {
                    TronAddress from = TronAddress.fromBytes(tron(word20(log.getTopics(1))));
                    return Optional.of(new IncomingTransfer(from, new BigInteger(1, log.getData().toByteArray()), info.getBlockNumber()));
                } catch (InvalidAddressException e) {
                    throw new ChainException("malformed Transfer event in " + txid, e);
                }
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ plumbing

    private TransactionExtention constantCall(TronAddress caller, Function function) throws ChainException {
        String contract;
        try {
            contract = network.requireBttContract().toBase58();
        } catch (UnknownNetworkException e) {
            throw new ChainException(e.getMessage(), e);
        }
        TransactionExtention ext = call(() -> api.triggerConstantContract(caller.toBase58(), contract, function));
        if (!ext.getResult().getResult()) {
            throw new TransactionRejectedException(ext.getResult().getCode().name(), ext.getResult().getMessage().toStringUtf8());
        }
        return ext;
    }

    private interface RpcCall<T> {
        T run();
    }

    private <T> T call(RpcCall<T> rpc) throws ChainException {
        try {
            return rpc.run();
        } catch (StatusRuntimeException e) {
            throw translate(e);
        } catch (IllegalStateException e) {
            throw new ChainException("the " + network.name() + " node refused the request: " + e.getMessage(), e);
        }
    }

    private ChainException translate(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
            return new ChainUnavailableException("the " + network.name() + " node at " + network.fullNodeEndpoint()
                    + " is not reachable (" + code + ")" + (network.isDevnet() ? "; is the devnet running?" : "; check the network and retry"), e);
        }
        return new ChainException("the " + network.name() + " node failed the call: " + e.getStatus(), e);
    }

    private static byte[] word20(ByteString word) {
        return word.size() == 32 ? word.substring(12).toByteArray() : new byte[0];
    }

    private static byte[] tron(byte[] evm20) {
        byte[] out = new byte[21];
        out[0] = 0x41;
        System.arraycopy(evm20, 0, out, 1, 20);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static byte[] keccak(String signature) {
        KeccakDigest d = new KeccakDigest(256);
        byte[] in = signature.getBytes(StandardCharsets.US_ASCII);
        d.update(in, 0, in.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    @Override
    public void close() {
        api.close();
    }
}
