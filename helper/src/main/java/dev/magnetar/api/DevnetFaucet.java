package dev.magnetar.api;

import dev.magnetar.wallet.TronAddress;
import java.math.BigInteger;

/**
 * Credits free test TRX and BTT on the embedded devnet the daemon serves itself. There is none on Nile
 * or mainnet (their coins are not made up), nor when another process serves the devnet.
 */
@FunctionalInterface
public interface DevnetFaucet {

    /** What one press of the extension's faucet button credits: enough for many boosts and their fees. */
    long TRX_SUN = 1_000_000_000L; // 1000 TRX
    BigInteger BTT_BASE_UNITS = BigInteger.TEN.pow(18 + 3); // 1000 BTT

    void credit(TronAddress to, long sun, BigInteger bttBaseUnits);
}
