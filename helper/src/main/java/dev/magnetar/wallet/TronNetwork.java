package dev.magnetar.wallet;

import java.util.Locale;
import java.util.Optional;

/**
 * A TRON network the wallet can talk to: where its gRPC full and solidity nodes are, where the BTT
 * TRC-20 contract lives and the chain id (TIP-712 style, the last 4 bytes of the genesis block id).
 *
 * <p>{@code devnet} is the helper's embedded node on loopback (no real money, a faucet); its BTT
 * contract address is fixed by the devnet itself and its chain id depends on its genesis block, so
 * it is learnt at run time. Nile has no official BTT deployment, so a BTT contract must be
 * configured for it before paying there.
 */
public record TronNetwork(String name, String fullNodeEndpoint, String solidityEndpoint, Optional<TronAddress> bttContract,
        int bttDecimals, Optional<Long> chainId) {

    public static final int BTT_DECIMALS = 18;
    /** Loopback port of the embedded devnet (50051 is java-tron's own default; stay clear of it). */
    public static final int DEVNET_DEFAULT_PORT = 50151;
    /** What {@link #DEVNET_BTT_CONTRACT} is derived from. */
    static final String DEVNET_BTT_LABEL = "magnetar devnet BTT TRC-20";
    /**
     * Where the embedded devnet deploys BTT at genesis: a fixed address (0x41 ‖ last 20 bytes of
     * Keccak-256 of {@link #DEVNET_BTT_LABEL}), so a devnet wallet knows it without asking the node.
     * Written out rather than hashed here: every daemon start reads the network, and hashing the label
     * at class init put Bouncy Castle's Keccak and its crypto-services registry (~30 classes, ~13 ms of
     * the main thread before the API answered) on the start path. {@code TronNetworkTest} derives it again.
     */
    public static final TronAddress DEVNET_BTT_CONTRACT = knownAddress("413fc4cc31316426ebaaf637002ac825220272cdbf");

    public static TronNetwork devnet(String endpoint) {
        return new TronNetwork("devnet", endpoint, endpoint, Optional.of(devnetBttContract()), BTT_DECIMALS, Optional.empty());
    }

    public static TronNetwork devnet() {
        return devnet("127.0.0.1:" + DEVNET_DEFAULT_PORT);
    }

    public static TronNetwork nile() {
        return new TronNetwork("nile", "grpc.nile.trongrid.io:50051", "grpc.nile.trongrid.io:50061", Optional.empty(), BTT_DECIMALS,
                Optional.of(3448148188L));
    }

    public static TronNetwork mainnet() {
        try {
            return new TronNetwork("mainnet", "grpc.trongrid.io:50051", "grpc.trongrid.io:50052",
                    Optional.of(TronAddress.fromBase58("TAFjULxiVgT4qWk6UZwjqwZXTSaGaqnVp4")), BTT_DECIMALS, Optional.of(728126428L));
        } catch (InvalidAddressException e) {
            throw new IllegalStateException("the mainnet BTT address constant is valid", e);
        }
    }

    /** {@code devnet}, {@code nile} or {@code mainnet}; anything else is a typed error naming the choices. */
    public static TronNetwork byName(String name) throws UnknownNetworkException {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "devnet" -> devnet();
            case "nile" -> nile();
            case "mainnet" -> mainnet();
            default -> throw new UnknownNetworkException(name);
        };
    }

    /** The same network reached through another node (a devnet another helper serves, or a private node). */
    public TronNetwork withEndpoint(String endpoint) {
        return new TronNetwork(name, endpoint, endpoint, bttContract, bttDecimals, chainId);
    }

    public TronAddress requireBttContract() throws UnknownNetworkException {
        return bttContract.orElseThrow(() -> new UnknownNetworkException(
                "no BTT contract is configured for network " + name + "; use devnet or mainnet, or configure one"));
    }

    static TronAddress devnetBttContract() {
        return DEVNET_BTT_CONTRACT;
    }

    private static TronAddress knownAddress(String hex) {
        try {
            return TronAddress.fromHex(hex);
        } catch (InvalidAddressException e) {
            throw new IllegalStateException("a constant address is valid", e);
        }
    }

    public boolean isDevnet() {
        return name.equals("devnet");
    }
}
