package dev.magnetar.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.magnetar.util.AtomicFiles;
import dev.magnetar.wallet.TronNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tron.trident.proto.Chain.Block;
import org.tron.trident.proto.Chain.BlockHeader;
import org.tron.trident.proto.Chain.Transaction;
import org.tron.trident.proto.Chain.Transaction.Contract.ContractType;
import org.tron.trident.proto.Chain.Transaction.Result.contractResult;
import org.tron.trident.proto.Contract.TransferContract;
import org.tron.trident.proto.Contract.TriggerSmartContract;
import org.tron.trident.proto.Response.ResourceReceipt;
import org.tron.trident.proto.Response.TransactionExtention;
import org.tron.trident.proto.Response.TransactionInfo;
import org.tron.trident.proto.Response.TransactionReturn;
import org.tron.trident.proto.Response.TransactionReturn.response_code;

/**
 * The devnet's ledger: accounts (TRX in sun, BTT in base units), blocks, the transaction index and
 * the pending pool. Broadcast validates a transaction the way java-tron's Manager does, in the same
 * order (TaPoS, expiration, duplicate, signature, contract) and with the same response codes;
 * {@link #produceBlock()} executes the pending pool into a new block. One lock guards everything: the
 * devnet serves one user, so simplicity wins over concurrency.
 */
public final class DevnetChain implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevnetChain.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** java-tron: a transaction may not expire more than 24 h after the head block. */
    static final long MAX_EXPIRATION_MILLIS = 24L * 3600 * 1000;
    /** What Trident and java-tron use: expiration = reference head time + 60 s. */
    static final long DEFAULT_EXPIRATION_MILLIS = 60_000;
    /** Chain parameter getEnergyFee: sun burnt per unit of energy when the caller has no staked energy. */
    public static final long ENERGY_PRICE_SUN = 210;
    /** Chain parameter getMaxFeeLimit (15,000 TRX, mainnet's value). */
    public static final long MAX_FEE_LIMIT_SUN = 15_000_000_000L;
    /** java-tron keeps the ids of the last 65,536 blocks for TaPoS (indexed by the low 16 bits of the number). */
    private static final int TAPOS_WINDOW = 65_536;
    /**
     * Full blocks kept in memory besides genesis: between this many and twice as many (dropped in halves), 6½–13
     * minutes of them at the default 3 s interval. A block is made every interval, empty or not, for as long as the
     * helper runs — 28,800 a day — so keeping them all grew the heap without end. Clients ask for the head, the
     * solid head ({@code confirmations} deep, far fewer), genesis (the chain id) and transactions by id, which are
     * indexed apart; TaPoS needs only each recent block's id bytes ({@link #taposHashes}). With 1,024 (the
     * snapshot's count, below) the heap held ~400 bytes a block (the protobuf block, its header, two byte
     * strings, the id): after an hour the 1 h bench/soak's histogram at the final idle had 1,074 blocks more
     * than at the warm idle, ~0.45 MiB of the live set's +1.8, and the daemon kept 0.4–0.8 MiB of them for good.
     */
    static final int RECENT_BLOCKS = 128;
    /**
     * Log entries (blocks, faucet grants) after which the state is written to a {@link ChainSnapshot} and the log
     * starts afresh: about 51 minutes at the default interval. Apart from {@link #RECENT_BLOCKS}: a snapshot holds up
     * to 65,536 TaPoS ids (512 KiB once the chain is 2.3 days old), every 6½ minutes over 100 MB of writes a day.
     */
    static final int SNAPSHOT_ENTRIES = 1024;
    /**
     * How deep an included transaction must be before the index forgets it (a day of blocks at the default
     * 3 s interval), and only once it has also expired at the head's time. The index grew by a transaction
     * and its receipt (in the heap and in every snapshot) with every payment, for as long as the helper ran.
     * What needs the index: the duplicate check, which an expired transaction never reaches (a re-broadcast
     * is refused as expired first, as java-tron does), and payment status — the wallet's ledger asks until
     * it has seen the payment confirmed, a few blocks, and settles what it left open at the next start
     * (blocks are made only while the devnet runs, so a day of blocks is a day of the helper running). Past
     * that, a transaction's id is answered as unknown, as a pruned node answers; balances stay as they are.
     */
    static final int TRANSACTION_BLOCKS = 28_800;
    private static final ByteString WITNESS = tronAddress(Hashes.keccak256("magnetar devnet witness".getBytes(StandardCharsets.US_ASCII)));

    /** Where the devnet's BTT token lives: fixed, so a devnet wallet knows it without asking. */
    public static final ByteString BTT_CONTRACT = ByteString.copyFrom(TronNetwork.DEVNET_BTT_CONTRACT.bytes());

    record Genesis(long timestampMillis) {}

    /** A block as stored, with its id (number ‖ hash). */
    public record StoredBlock(Block block, byte[] id) {
        public long number() {
            return block.getBlockHeader().getRawData().getNumber();
        }

        public long timestamp() {
            return block.getBlockHeader().getRawData().getTimestamp();
        }
    }

    /** A transaction that made it into a block, with its receipt. */
    public record IncludedTransaction(Transaction transaction, TransactionInfo info) {}

    private final Clock clock;
    private final int confirmations;
    private final Path dataDir;
    /** The log of everything since snapshot {@link #generation} (the chain's start for generation 0). */
    private ChainLog log;
    private int generation;
    private int entriesSinceSnapshot;
    private final BttTokenContract btt = new BttTokenContract(BTT_CONTRACT);
    private final long chainId;
    private final Map<ByteString, Long> trxSun = new HashMap<>();
    private final Map<ByteString, BigInteger> bttUnits = new HashMap<>();
    private final int recentBlocks;
    private final int snapshotEntries;
    private StoredBlock genesis;
    /** The newest blocks, oldest first; {@code recent.get(i)} is block {@code firstRecent + i}. */
    private final List<StoredBlock> recent = new ArrayList<>();
    private long firstRecent;
    /** Bytes 8–16 of the id of block n at {@code n & 0xffff}, for the last {@link #TAPOS_WINDOW} blocks. */
    private final long[] taposHashes = new long[TAPOS_WINDOW];
    /** Included transactions in the order of their blocks, so the oldest are pruned first ({@link #TRANSACTION_BLOCKS}). */
    private final LinkedHashMap<ByteString, IncludedTransaction> included = new LinkedHashMap<>();
    private final int transactionBlocks;
    private final LinkedHashMap<ByteString, Transaction> pending = new LinkedHashMap<>();

    private final java.nio.channels.FileChannel lockChannel;

    private DevnetChain(Clock clock, int confirmations, int recentBlocks, int snapshotEntries, int transactionBlocks, Genesis genesis,
            Path dataDir, java.nio.channels.FileChannel lockChannel) {
        this.lockChannel = lockChannel;
        this.transactionBlocks = transactionBlocks;
        this.dataDir = dataDir;
        this.clock = clock;
        this.confirmations = confirmations;
        this.recentBlocks = recentBlocks;
        this.snapshotEntries = snapshotEntries;
        StoredBlock genesisBlock = seal(0, genesis.timestampMillis(), ByteString.copyFrom(new byte[32]), List.of());
        append(genesisBlock);
        // TRON's chain id is the last 4 bytes of the genesis block id (mainnet: 0x2b6653dc = 728126428).
        this.chainId = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(genesisBlock.id(), 28, 4).getInt());
        ChainSnapshot.read(dataDir).ifPresent(this::restore);
        List<ChainLog.Entry> entries = ChainLog.newReplayList();
        this.log = ChainLog.open(dataDir.resolve(ChainSnapshot.logName(generation)), entries);
        for (ChainLog.Entry entry : entries) {
            replay(entry);
        }
        entriesSinceSnapshot = entries.size();
        pruneIncluded();
        deleteLogsOtherThan(log.file());
        LOG.info("devnet chain {} open at block {} ({} accounts, {} log entries replayed after snapshot {})", chainId,
                head().number(), trxSun.size(), entries.size(), generation);
        if (entriesSinceSnapshot >= snapshotEntries) {
            compact(); // a log written before snapshots existed, however long, is replayed once more and never again
        }
    }

    private void restore(ChainSnapshot snapshot) {
        generation = snapshot.generation();
        snapshot.trxSun().forEach((address, sun) -> trxSun.put(ByteString.fromHex(address), sun));
        snapshot.bttBaseUnits().forEach((address, units) -> bttUnits.put(ByteString.fromHex(address), new BigInteger(units)));
        ByteBuffer tapos = ByteBuffer.wrap(snapshot.taposHashes());
        for (long number = snapshot.taposFrom(); tapos.hasRemaining(); number++) {
            taposHashes[(int) (number & 0xffff)] = tapos.getLong();
        }
        recent.clear();
        for (byte[] bytes : snapshot.recentBlocks()) {
            Block block = parse(Block.parser(), bytes);
            BlockHeader.raw raw = block.getBlockHeader().getRawData();
            if (recent.isEmpty()) {
                firstRecent = raw.getNumber();
            }
            recent.add(new StoredBlock(block, BlockIds.blockId(raw.getNumber(), raw.toByteArray())));
        }
        List<IncludedTransaction> index = new ArrayList<>();
        for (ChainSnapshot.Included t : snapshot.included()) {
            index.add(new IncludedTransaction(parse(Transaction.parser(), t.transaction()), parse(TransactionInfo.parser(), t.info())));
        }
        // Snapshots written before the index was ordered hold it in hash order.
        index.sort(java.util.Comparator.comparingLong(t -> t.info().getBlockNumber()));
        index.forEach(t -> included.put(txid(t.transaction()), t));
        for (byte[] bytes : snapshot.pending()) {
            Transaction tx = parse(Transaction.parser(), bytes);
            pending.put(txid(tx), tx);
        }
    }

    private static <T> T parse(com.google.protobuf.Parser<T> parser, byte[] bytes) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new DevnetStorageException("devnet chain storage holds a corrupt record: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the state to a new snapshot that names a new, empty log, then drops the old log. On failure
     * (a full disk, say) the chain goes on with the old log, which is still complete, and tries again later.
     */
    private void compact() {
        int next = generation + 1;
        Path nextFile = dataDir.resolve(ChainSnapshot.logName(next));
        ChainLog nextLog = null;
        try {
            Files.deleteIfExists(nextFile); // an empty log a crash left between its creation and its snapshot
            nextLog = ChainLog.open(nextFile, ChainLog.newReplayList());
            snapshot(next).write(dataDir);
        } catch (IOException | DevnetStorageException e) {
            LOG.warn("devnet chain snapshot failed, keeping the whole log for now: {}", e.getMessage());
            if (nextLog != null) {
                nextLog.close();
            }
            entriesSinceSnapshot = 0;
            return;
        }
        ChainLog old = log;
        log = nextLog;
        generation = next;
        entriesSinceSnapshot = 0;
        old.close();
        deleteLogsOtherThan(nextFile);
    }

    private ChainSnapshot snapshot(int snapshotGeneration) {
        Map<String, Long> sun = new HashMap<>();
        trxSun.forEach((address, value) -> sun.put(hex(address), value));
        Map<String, String> units = new HashMap<>();
        bttUnits.forEach((address, value) -> units.put(hex(address), value.toString()));
        long head = head().number();
        long taposFrom = Math.max(0, head - TAPOS_WINDOW + 1);
        ByteBuffer tapos = ByteBuffer.allocate((int) (head - taposFrom + 1) * Long.BYTES);
        for (long number = taposFrom; number <= head; number++) {
            tapos.putLong(taposHashes[(int) (number & 0xffff)]);
        }
        List<byte[]> blocks = recent.subList(Math.max(0, recent.size() - recentBlocks), recent.size()).stream()
                .map(b -> b.block().toByteArray()).toList();
        List<ChainSnapshot.Included> index = included.values().stream()
                .map(t -> new ChainSnapshot.Included(t.transaction().toByteArray(), t.info().toByteArray())).toList();
        List<byte[]> pool = pending.values().stream().map(Transaction::toByteArray).toList();
        return new ChainSnapshot(snapshotGeneration, sun, units, blocks, taposFrom, tapos.array(), index, pool);
    }

    /** Logs older than the current one (replaced by a snapshot) or newer (made for a snapshot a crash never wrote). */
    private void deleteLogsOtherThan(Path current) {
        try (var files = Files.newDirectoryStream(dataDir, "chain*.log")) {
            for (Path file : files) {
                if (!file.getFileName().equals(current.getFileName())) {
                    Files.deleteIfExists(file);
                    LOG.info("devnet: deleted {}, which the snapshot replaces", file.getFileName());
                }
            }
        } catch (IOException e) {
            LOG.warn("devnet: cannot delete a replaced chain log in {}: {}", dataDir, e.getMessage());
        }
    }

    /** One process per data directory: two writers appending to one chain log would fork the chain. */
    private static java.nio.channels.FileChannel lock(Path dataDir) {
        Path lockFile = dataDir.resolve("devnet.lock");
        try {
            Files.createDirectories(dataDir);
            java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            if (ch.tryLock() == null) {
                ch.close();
                throw new DevnetInUseException(dataDir);
            }
            return ch;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new DevnetInUseException(dataDir);
        } catch (IOException e) {
            throw new DevnetStorageException("cannot lock devnet data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Opens the chain in {@code dataDir}, creating a genesis block on first use. */
    public static DevnetChain open(Path dataDir, Clock clock, int confirmations) {
        return open(dataDir, clock, confirmations, RECENT_BLOCKS, SNAPSHOT_ENTRIES, TRANSACTION_BLOCKS);
    }

    /**
     * As {@link #open(Path, Clock, int)}, keeping {@code recentBlocks} full blocks in memory and writing a snapshot every
     * as many log entries (tests keep few).
     */
    static DevnetChain open(Path dataDir, Clock clock, int confirmations, int recentBlocks) {
        return open(dataDir, clock, confirmations, recentBlocks, recentBlocks, TRANSACTION_BLOCKS);
    }

    /** As {@link #open(Path, Clock, int, int)}, forgetting expired transactions {@code transactionBlocks} deep. */
    static DevnetChain open(Path dataDir, Clock clock, int confirmations, int recentBlocks, int transactionBlocks) {
        return open(dataDir, clock, confirmations, recentBlocks, recentBlocks, transactionBlocks);
    }

    private static DevnetChain open(Path dataDir, Clock clock, int confirmations, int recentBlocks, int snapshotEntries,
            int transactionBlocks) {
        if (recentBlocks <= confirmations) {
            throw new IllegalArgumentException("the devnet must keep more blocks (" + recentBlocks + ") than its confirmations ("
                    + confirmations + ")");
        }
        if (confirmations < 0) {
            throw new IllegalArgumentException("confirmations must be >= 0, got " + confirmations);
        }
        java.nio.channels.FileChannel lockChannel = lock(dataDir);
        Path genesisFile = dataDir.resolve("genesis.json");
        Genesis genesis;
        try {
            if (Files.exists(genesisFile)) {
                genesis = JSON.readValue(genesisFile.toFile(), Genesis.class);
            } else {
                genesis = new Genesis(clock.millis());
                AtomicFiles.write(genesisFile, JSON.writeValueAsBytes(genesis));
            }
            return new DevnetChain(clock, confirmations, recentBlocks, snapshotEntries, transactionBlocks, genesis, dataDir, lockChannel);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new DevnetStorageException("cannot read or create devnet genesis " + genesisFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private static void closeQuietly(java.nio.channels.FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.warn("releasing devnet lock", e);
        }
    }

    public long chainId() {
        return chainId;
    }

    public int confirmations() {
        return confirmations;
    }

    // ---------------------------------------------------------------- accounts and faucet

    public synchronized long trxBalanceSun(ByteString address) {
        return trxSun.getOrDefault(address, 0L);
    }

    /** The BTT token balance of {@code address}, in base units. */
    synchronized BigInteger bttBalance(ByteString address) {
        return bttUnits.getOrDefault(address, BigInteger.ZERO);
    }

    public synchronized boolean accountExists(ByteString address) {
        return trxSun.containsKey(address);
    }

    /** Devnet only: creates TRX and BTT out of thin air for {@code address}. Durable when it returns. */
    public synchronized void faucet(ByteString address, long sun, BigInteger bttBaseUnits) {
        requireAddress(address);
        if (sun < 0 || bttBaseUnits.signum() < 0) {
            throw new IllegalArgumentException("faucet amounts must not be negative");
        }
        log.append(ChainLog.Entry.ofFaucet(hex(address), sun, bttBaseUnits.toString()));
        entriesSinceSnapshot++;
        credit(address, sun, bttBaseUnits);
    }

    private void credit(ByteString address, long sun, BigInteger btt) {
        trxSun.merge(address, sun, Math::addExact);
        if (btt.signum() > 0) {
            bttUnits.merge(address, btt, BigInteger::add);
        }
    }

    // ---------------------------------------------------------------- blocks

    public synchronized StoredBlock head() {
        return recent.get(recent.size() - 1);
    }

    /** The newest block with {@link #confirmations()} blocks on top of it: what a solidity node serves. */
    public synchronized StoredBlock solidHead() {
        return blockByNumber(Math.max(0, head().number() - confirmations)).orElseThrow();
    }

    /** Genesis and the {@link #RECENT_BLOCKS} newest; an older block is no longer kept (empty). */
    public synchronized Optional<StoredBlock> blockByNumber(long number) {
        if (number == 0) {
            return Optional.of(genesis);
        }
        long index = number - firstRecent;
        return index >= 0 && index < recent.size() ? Optional.of(recent.get((int) index)) : Optional.empty();
    }

    /** How many full blocks this chain holds in memory. */
    synchronized int blocksInMemory() {
        return recent.size() + (firstRecent > 0 ? 1 : 0);
    }

    private void append(StoredBlock block) {
        long number = block.number();
        if (number == 0) {
            genesis = block;
        }
        taposHashes[(int) (number & 0xffff)] = ByteBuffer.wrap(BlockIds.refBlockHash(block.id())).getLong();
        recent.add(block);
        if (recent.size() >= 2 * recentBlocks) { // in halves, so that dropping the oldest costs O(1) a block
            int drop = recent.size() - recentBlocks;
            recent.subList(0, drop).clear();
            firstRecent += drop;
        }
    }

    public synchronized Optional<StoredBlock> blockById(byte[] id) {
        if (id.length != 32) {
            return Optional.empty();
        }
        return blockByNumber(BlockIds.numberOf(id)).filter(b -> Arrays.equals(b.id(), id));
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    /** Packs every pending, unexpired, still-valid transaction into a new block and executes it. */
    public synchronized StoredBlock produceBlock() {
        StoredBlock parent = head();
        long number = parent.number() + 1;
        long timestamp = Math.max(clock.millis(), parent.timestamp() + 1);
        List<IncludedTransaction> executed = new ArrayList<>();
        for (Iterator<Transaction> it = pending.values().iterator(); it.hasNext(); ) {
            Transaction tx = it.next();
            it.remove();
            if (tx.getRawData().getExpiration() <= timestamp) {
                LOG.info("devnet dropped expired transaction {}", hex(txid(tx)));
                continue;
            }
            Optional<IncludedTransaction> result = execute(tx, number, timestamp);
            result.ifPresent(executed::add);
        }
        StoredBlock block = seal(number, timestamp, ByteString.copyFrom(parent.id()), executed.stream().map(IncludedTransaction::transaction).toList());
        log.append(ChainLog.Entry.ofBlock(block.block().toByteArray()));
        append(block);
        executed.forEach(t -> included.put(txid(t.transaction()), t));
        pruneIncluded();
        if (++entriesSinceSnapshot >= snapshotEntries) {
            compact();
        }
        return block;
    }

    /** Forgets the oldest included transactions that are {@link #TRANSACTION_BLOCKS} deep and expired. */
    private void pruneIncluded() {
        StoredBlock head = head();
        for (Iterator<IncludedTransaction> it = included.values().iterator(); it.hasNext(); ) {
            IncludedTransaction t = it.next();
            if (head.number() - t.info().getBlockNumber() < transactionBlocks
                    || t.transaction().getRawData().getExpiration() > head.timestamp()) {
                return; // the rest are newer; one that expires late is pruned on a later block
            }
            it.remove();
        }
    }

    /** How many included transactions the index holds. */
    synchronized int includedCount() {
        return included.size();
    }

    private StoredBlock seal(long number, long timestamp, ByteString parentId, List<Transaction> txs) {
        // Simplified tx trie root: SHA-256 over the concatenated transaction ids (java-tron builds a Merkle tree).
        byte[] ids = new byte[32 * txs.size()];
        for (int i = 0; i < txs.size(); i++) {
            txid(txs.get(i)).copyTo(ids, 32 * i);
        }
        BlockHeader.raw raw = BlockHeader.raw.newBuilder()
                .setNumber(number)
                .setTimestamp(timestamp)
                .setParentHash(parentId)
                .setTxTrieRoot(ByteString.copyFrom(Hashes.sha256(ids)))
                .setWitnessAddress(WITNESS)
                .setVersion(30)
                .build();
        Block block = Block.newBuilder()
                .setBlockHeader(BlockHeader.newBuilder().setRawData(raw))
                .addAllTransactions(txs)
                .build();
        return new StoredBlock(block, BlockIds.blockId(number, raw.toByteArray()));
    }

    private void replay(ChainLog.Entry entry) {
        if (entry.faucetAddressHex() != null) {
            credit(ByteString.fromHex(entry.faucetAddressHex()), entry.faucetSun(), new BigInteger(entry.faucetBttBaseUnits()));
            return;
        }
        if (entry.pending() != null) {
            Transaction tx = parse(Transaction.parser(), entry.pending());
            pending.put(txid(tx), tx);
            return;
        }
        Block block;
        try {
            block = Block.parseFrom(entry.block());
        } catch (InvalidProtocolBufferException e) {
            throw new DevnetStorageException("devnet chain log holds a corrupt block: " + e.getMessage(), e);
        }
        BlockHeader.raw raw = block.getBlockHeader().getRawData();
        for (Transaction tx : block.getTransactionsList()) {
            execute(tx.toBuilder().clearRet().build(), raw.getNumber(), raw.getTimestamp())
                    .ifPresent(t -> included.put(txid(t.transaction()), t));
        }
        pending.clear(); // as produceBlock left it: every pending transaction executed or dropped
        append(new StoredBlock(block, BlockIds.blockId(raw.getNumber(), raw.toByteArray())));
    }

    // ---------------------------------------------------------------- transactions

    public static ByteString txid(Transaction tx) {
        return ByteString.copyFrom(Hashes.sha256(tx.getRawData().toByteArray()));
    }

    /** BroadcastTransaction: validate like java-tron and queue for the next block. */
    public synchronized TransactionReturn broadcast(Transaction tx) {
        Transaction.raw raw = tx.getRawData();
        ByteString txid = txid(tx);
        if (raw.getContractCount() != 1) {
            return reject(response_code.CONTRACT_VALIDATE_ERROR, "contract size should be exactly 1, this is extend feature");
        }
        if (!tapos(raw)) {
            return reject(response_code.TAPOS_ERROR, "Tapos check error: ref_block_bytes " + HexFormat.of().formatHex(raw.getRefBlockBytes().toByteArray())
                    + " / ref_block_hash " + HexFormat.of().formatHex(raw.getRefBlockHash().toByteArray())
                    + " name no recent block of this chain; rebuild the transaction against the current head");
        }
        long headTime = head().timestamp();
        if (raw.getExpiration() <= headTime) {
            return reject(response_code.TRANSACTION_EXPIRATION_ERROR,
                    "Transaction expired: expiration " + raw.getExpiration() + " is not after head block time " + headTime);
        }
        if (raw.getExpiration() > headTime + MAX_EXPIRATION_MILLIS) {
            return reject(response_code.TRANSACTION_EXPIRATION_ERROR,
                    "expiration must be less than 24 hours after the head block time " + headTime);
        }
        if (included.containsKey(txid) || pending.containsKey(txid)) {
            return reject(response_code.DUP_TRANSACTION_ERROR, "Dup transaction: " + hex(txid));
        }
        Transaction.Contract contract = raw.getContract(0);
        ByteString owner;
        try {
            owner = ownerOf(contract);
        } catch (InvalidProtocolBufferException e) {
            return reject(response_code.CONTRACT_VALIDATE_ERROR, "cannot decode " + contract.getType() + " parameter: " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            return reject(response_code.CONTRACT_VALIDATE_ERROR, e.getMessage());
        }
        TransactionReturn sigError = checkSignature(tx, txid, owner);
        if (sigError != null) {
            return sigError;
        }
        TransactionReturn contractError = validateContract(contract, owner);
        if (contractError != null) {
            return contractError;
        }
        log.append(ChainLog.Entry.ofPending(tx.toByteArray())); // acknowledged means it survives a restart
        entriesSinceSnapshot++;
        pending.put(txid, tx);
        LOG.debug("devnet accepted {} {}", contract.getType(), hex(txid));
        return TransactionReturn.newBuilder().setResult(true).setCode(response_code.SUCCESS).build();
    }

    private boolean tapos(Transaction.raw raw) {
        if (raw.getRefBlockBytes().size() != 2 || raw.getRefBlockHash().size() != 8) {
            return false;
        }
        int low16 = ((raw.getRefBlockBytes().byteAt(0) & 0xff) << 8) | (raw.getRefBlockBytes().byteAt(1) & 0xff);
        long headNumber = head().number();
        // The most recent block within the window whose number has these low 16 bits.
        long candidate = headNumber - ((headNumber - low16) & 0xffff);
        if (candidate < 0 || headNumber - candidate >= TAPOS_WINDOW) {
            return false;
        }
        return taposHashes[(int) (candidate & 0xffff)] == ByteBuffer.wrap(raw.getRefBlockHash().toByteArray()).getLong();
    }

    private TransactionReturn checkSignature(Transaction tx, ByteString txid, ByteString owner) {
        if (tx.getSignatureCount() != 1) {
            return reject(response_code.SIGERROR, "Validate signature error: expected exactly 1 signature (owner permission, threshold 1), got "
                    + tx.getSignatureCount());
        }
        byte[] signature = tx.getSignature(0).toByteArray();
        Optional<byte[]> signer = SignerRecovery.recoverAddress(txid.toByteArray(), signature);
        if (signer.isEmpty()) {
            return reject(response_code.SIGERROR, "Validate signature error: signature " + HexFormat.of().formatHex(signature)
                    + " is malformed or recovers no public key");
        }
        if (!ByteString.copyFrom(signer.get()).equals(owner)) {
            return reject(response_code.SIGERROR, "Validate signature error: " + hex(txid) + " is signed by " + HexFormat.of().formatHex(signer.get())
                    + " but it is not contained of permission of owner " + hex(owner));
        }
        return null;
    }

    private static ByteString ownerOf(Transaction.Contract contract) throws InvalidProtocolBufferException {
        return switch (contract.getType()) {
            case TransferContract -> contract.getParameter().unpack(TransferContract.class).getOwnerAddress();
            case TriggerSmartContract -> contract.getParameter().unpack(TriggerSmartContract.class).getOwnerAddress();
            default -> throw new UnsupportedOperationException("the devnet executes only TransferContract and TriggerSmartContract, not "
                    + contract.getType());
        };
    }

    private TransactionReturn validateContract(Transaction.Contract contract, ByteString owner) {
        try {
            if (contract.getType() == ContractType.TransferContract) {
                TransferContract transfer = contract.getParameter().unpack(TransferContract.class);
                if (!isAddress(transfer.getToAddress())) {
                    return reject(response_code.CONTRACT_VALIDATE_ERROR, "Invalid toAddress!");
                }
                if (transfer.getToAddress().equals(owner)) {
                    return reject(response_code.CONTRACT_VALIDATE_ERROR, "Cannot transfer TRX to yourself.");
                }
                if (transfer.getAmount() <= 0) {
                    return reject(response_code.CONTRACT_VALIDATE_ERROR, "Amount must be greater than 0.");
                }
                if (!accountExists(owner)) {
                    return reject(response_code.CONTRACT_VALIDATE_ERROR, "Validate TransferContract error, no OwnerAccount.");
                }
                if (availableSun(owner) < transfer.getAmount()) {
                    return reject(response_code.CONTRACT_VALIDATE_ERROR, "Validate TransferContract error, balance is not sufficient.");
                }
                return null;
            }
            TriggerSmartContract trigger = contract.getParameter().unpack(TriggerSmartContract.class);
            if (!trigger.getContractAddress().equals(btt.address())) {
                return reject(response_code.CONTRACT_VALIDATE_ERROR, "No contract or not a smart contract");
            }
            if (trigger.getCallValue() != 0 || trigger.getCallTokenValue() != 0) {
                return reject(response_code.CONTRACT_VALIDATE_ERROR, "the devnet BTT contract is not payable");
            }
            return null;
        } catch (InvalidProtocolBufferException e) {
            return reject(response_code.CONTRACT_VALIDATE_ERROR, "cannot decode contract parameter: " + e.getMessage());
        }
    }

    /** TRX not yet promised to pending transfers: a second spend of the same sun is refused at broadcast. */
    private long availableSun(ByteString owner) {
        long available = trxSun.getOrDefault(owner, 0L);
        for (Transaction p : pending.values()) {
            Transaction.Contract c = p.getRawData().getContract(0);
            if (c.getType() == ContractType.TransferContract) {
                try {
                    TransferContract t = c.getParameter().unpack(TransferContract.class);
                    if (t.getOwnerAddress().equals(owner)) {
                        available -= t.getAmount();
                    }
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("a pending transaction was validated but no longer decodes", e);
                }
            }
        }
        return available;
    }

    private Optional<IncludedTransaction> execute(Transaction tx, long blockNumber, long blockTimestamp) {
        Transaction.Contract contract = tx.getRawData().getContract(0);
        ByteString txid = txid(tx);
        TransactionInfo.Builder info = TransactionInfo.newBuilder()
                .setId(txid)
                .setBlockNumber(blockNumber)
                .setBlockTimeStamp(blockTimestamp);
        try {
            if (contract.getType() == ContractType.TransferContract) {
                TransferContract transfer = contract.getParameter().unpack(TransferContract.class);
                long balance = trxSun.getOrDefault(transfer.getOwnerAddress(), 0L);
                if (balance < transfer.getAmount()) {
                    LOG.info("devnet dropped {}: balance no longer sufficient at block {}", hex(txid), blockNumber);
                    return Optional.empty();
                }
                trxSun.put(transfer.getOwnerAddress(), balance - transfer.getAmount());
                trxSun.merge(transfer.getToAddress(), transfer.getAmount(), Math::addExact);
                info.setResult(TransactionInfo.code.SUCESS)
                        .setReceipt(ResourceReceipt.newBuilder().setNetUsage(tx.getSerializedSize()).setResult(contractResult.SUCCESS));
                return Optional.of(new IncludedTransaction(withResult(tx, contractResult.SUCCESS), info.build()));
            }
            TriggerSmartContract trigger = contract.getParameter().unpack(TriggerSmartContract.class);
            ByteString owner = trigger.getOwnerAddress();
            long balance = trxSun.getOrDefault(owner, 0L);
            long energyLimit = Math.min(tx.getRawData().getFeeLimit(), balance) / ENERGY_PRICE_SUN;
            long required = btt.energyRequired(trigger.getData().toByteArray(), bttUnits);
            info.setContractAddress(trigger.getContractAddress());
            if (energyLimit < required) {
                // The classic too-low fee_limit: all the energy the fee limit buys is burnt, nothing else happens.
                long fee = energyLimit * ENERGY_PRICE_SUN;
                trxSun.put(owner, balance - fee);
                info.setFee(fee)
                        .setResult(TransactionInfo.code.FAILED)
                        .setResMessage(ByteString.copyFromUtf8("Not enough energy: this call needs " + required
                                + " energy, fee_limit and balance allow " + energyLimit))
                        .setReceipt(ResourceReceipt.newBuilder().setEnergyUsageTotal(energyLimit).setEnergyFee(fee)
                                .setNetUsage(tx.getSerializedSize()).setResult(contractResult.OUT_OF_ENERGY));
                return Optional.of(new IncludedTransaction(withResult(tx, contractResult.OUT_OF_ENERGY), info.build()));
            }
            BttTokenContract.CallResult call = btt.call(owner, trigger.getData().toByteArray(), bttUnits);
            long fee = call.energyUsed() * ENERGY_PRICE_SUN;
            trxSun.put(owner, balance - fee);
            info.setFee(fee)
                    .setResult(call.succeeded() ? TransactionInfo.code.SUCESS : TransactionInfo.code.FAILED)
                    .addContractResult(ByteString.copyFrom(call.returnData()))
                    .addAllLog(call.logs())
                    .setReceipt(ResourceReceipt.newBuilder().setEnergyUsageTotal(call.energyUsed()).setEnergyFee(fee)
                            .setNetUsage(tx.getSerializedSize()).setResult(call.code()));
            if (!call.succeeded()) {
                info.setResMessage(ByteString.copyFromUtf8("REVERT opcode executed: " + call.message()));
            }
            return Optional.of(new IncludedTransaction(withResult(tx, call.code()), info.build()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a validated transaction no longer decodes", e);
        }
    }

    private static Transaction withResult(Transaction tx, contractResult result) {
        return tx.toBuilder().clearRet().addRet(Transaction.Result.newBuilder().setContractRet(result)).build();
    }

    public synchronized Optional<IncludedTransaction> includedTransaction(ByteString txid) {
        return Optional.ofNullable(included.get(txid));
    }

    /** Only transactions in blocks at or below the solid head: what a solidity node knows. */
    public synchronized Optional<IncludedTransaction> confirmedTransaction(ByteString txid) {
        long solid = solidHead().number();
        return includedTransaction(txid).filter(t -> t.info().getBlockNumber() <= solid);
    }

    // ---------------------------------------------------------------- constant calls

    /**
     * TriggerConstantContract: runs the call against a copy of the token balances and, like java-tron,
     * returns a ready-to-sign transaction referencing the head block (Trident's triggerCall signs that).
     */
    public synchronized TransactionExtention constantCall(TriggerSmartContract trigger) {
        TransactionExtention.Builder ext = TransactionExtention.newBuilder();
        if (!trigger.getContractAddress().equals(btt.address())) {
            return ext.setResult(TransactionReturn.newBuilder().setResult(false).setCode(response_code.CONTRACT_VALIDATE_ERROR)
                    .setMessage(ByteString.copyFromUtf8("No contract or not a smart contract"))).build();
        }
        BttTokenContract.CallResult call = btt.call(trigger.getOwnerAddress(), trigger.getData().toByteArray(), new HashMap<>(bttUnits));
        StoredBlock head = head();
        Transaction.raw raw = Transaction.raw.newBuilder()
                .addContract(Transaction.Contract.newBuilder()
                        .setType(ContractType.TriggerSmartContract)
                        .setParameter(com.google.protobuf.Any.pack(trigger)))
                .setRefBlockBytes(ByteString.copyFrom(BlockIds.refBlockBytes(head.number())))
                .setRefBlockHash(ByteString.copyFrom(BlockIds.refBlockHash(head.id())))
                .setExpiration(head.timestamp() + DEFAULT_EXPIRATION_MILLIS)
                .setTimestamp(clock.millis())
                .build();
        Transaction tx = Transaction.newBuilder().setRawData(raw).addRet(Transaction.Result.newBuilder().setContractRet(call.code())).build();
        ext.setTransaction(tx)
                .setTxid(txid(tx))
                .addConstantResult(ByteString.copyFrom(call.returnData()))
                .setEnergyUsed(call.energyUsed());
        if (call.succeeded()) {
            ext.setResult(TransactionReturn.newBuilder().setResult(true).setCode(response_code.SUCCESS));
        } else {
            ext.setResult(TransactionReturn.newBuilder().setResult(false).setCode(response_code.CONTRACT_EXE_ERROR)
                    .setMessage(ByteString.copyFromUtf8("REVERT opcode executed: " + call.message())));
        }
        return ext.build();
    }

    public synchronized long energyRequired(TriggerSmartContract trigger) {
        return btt.energyRequired(trigger.getData().toByteArray(), bttUnits);
    }

    // ---------------------------------------------------------------- helpers

    private static TransactionReturn reject(response_code code, String message) {
        return TransactionReturn.newBuilder().setResult(false).setCode(code).setMessage(ByteString.copyFromUtf8(message)).build();
    }

    static boolean isAddress(ByteString address) {
        return address.size() == 21 && address.byteAt(0) == 0x41;
    }

    private static void requireAddress(ByteString address) {
        if (!isAddress(address)) {
            throw new IllegalArgumentException("not a 21-byte TRON address with prefix 0x41: " + hex(address));
        }
    }

    private static ByteString tronAddress(byte[] keccak) {
        byte[] address = new byte[21];
        address[0] = 0x41;
        System.arraycopy(keccak, 12, address, 1, 20);
        return ByteString.copyFrom(address);
    }

    static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public synchronized void close() {
        log.close();
        try {
            lockChannel.close(); // releases the lock
        } catch (IOException e) {
            LOG.warn("releasing devnet lock", e);
        }
    }
}
