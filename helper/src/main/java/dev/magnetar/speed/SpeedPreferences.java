package dev.magnetar.speed;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magnetar.wallet.BttAmount;
import dev.magnetar.wallet.InvalidAmountException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The advanced speed-economy settings, in {@code <data>/speed.json} (all optional; decimal BTT
 * strings, never floating point):
 *
 * <pre>{"paidSlots": 2, "paymentThresholdBtt": "10", "disconnectThresholdBtt": "25", "unpaidUploadPercent": 10}</pre>
 *
 * The ask is a user setting ({@code askPerGiBBtt} in settings.json, the options page); an
 * {@code askPerGiBBtt} left here from before is read only to tell the user it moved. The receipt step
 * is a quarter of the payment threshold (spec P6).
 */
public record SpeedPreferences(String askPerGiBBtt, Integer paidSlots, String paymentThresholdBtt, String disconnectThresholdBtt,
                               Integer unpaidUploadPercent) {

    public static final String FILE_NAME = "speed.json";

    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /** The file's settings, or the defaults when there is no file. */
    public static SpeedPreferences read(Path file) throws SpeedPreferencesException {
        if (!Files.exists(file)) {
            return new SpeedPreferences(null, null, null, null, null);
        }
        try {
            return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(file.toFile(), SpeedPreferences.class);
        } catch (IOException e) {
            throw new SpeedPreferencesException("speed settings " + file + " are unreadable (" + e.getMessage()
                    + "); fix or delete the file to use the defaults (ask 0: no paid slots)", e);
        }
    }

    /**
     * The protocol settings these stand for, selling at {@code askPerGiB} base units per GiB (0 = sell
     * nothing); defaults for whatever is missing.
     */
    public SpeedSettings toSettings(BigInteger askPerGiB) throws SpeedPreferencesException {
        SpeedSettings d = SpeedSettings.defaults();
        try {
            BigInteger ask = askPerGiB;
            BigInteger p = paymentThresholdBtt == null ? d.paymentThreshold() : BttAmount.parseBtt(paymentThresholdBtt);
            BigInteger dis = disconnectThresholdBtt == null ? d.disconnectThreshold() : BttAmount.parseBtt(disconnectThresholdBtt);
            int slots = paidSlots == null ? d.paidSlots() : paidSlots;
            return new SpeedSettings(ask, slots, p, dis, p.shiftRight(2).max(BigInteger.ONE), d.confirmationThreshold(),
                    Duration.ofSeconds(120));
        } catch (InvalidAmountException | IllegalArgumentException e) {
            throw new SpeedPreferencesException("speed settings are invalid: " + e.getMessage()
                    + " (amounts are decimal BTT; the disconnect threshold must exceed the payment threshold)", e);
        }
    }

    public int unpaidUploadPercentOrDefault() {
        return unpaidUploadPercent == null ? SpeedEconomy.DEFAULT_UNPAID_UPLOAD_PERCENT : unpaidUploadPercent;
    }
}
