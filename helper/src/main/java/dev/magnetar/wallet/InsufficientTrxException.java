package dev.magnetar.wallet;

/**
 * The wallet's TRX cannot pay the network fee of a transfer: nothing was signed or sent. A TRC-20
 * transfer with too little TRX would still be mined and burn what TRX there is (OUT_OF_ENERGY), so the
 * wallet refuses it beforehand.
 */
public final class InsufficientTrxException extends WalletException {

    private final long balanceSun;
    private final long feeSun;

    /**
     * @param inFlight transfers of ours sent but not mined yet, whose fees the balance does not show yet
     */
    public InsufficientTrxException(long balanceSun, long feeSun, int inFlight) {
        super("the wallet's " + trx(balanceSun) + " TRX cannot cover the network fee of the next payment (about " + trx(feeSun)
                + " TRX" + (inFlight == 0 ? "" : ", after " + inFlight + " payment" + (inFlight == 1 ? "" : "s") + " still being confirmed")
                + "): add TRX to the wallet");
        this.balanceSun = balanceSun;
        this.feeSun = feeSun;
    }

    private static String trx(long sun) {
        return BttAmount.format(java.math.BigInteger.valueOf(sun), BttAmount.TRX_DECIMALS);
    }

    public long balanceSun() {
        return balanceSun;
    }

    public long feeSun() {
        return feeSun;
    }
}
