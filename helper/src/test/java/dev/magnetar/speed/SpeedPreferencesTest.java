package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeedPreferencesTest {

    @TempDir
    Path dir;

    @Test
    void withoutAFileNothingIsSold() throws Exception {
        SpeedSettings s = SpeedPreferences.read(SpeedPreferences.defaultFile(dir)).toSettings(BigInteger.ZERO);
        assertEquals(BigInteger.ZERO, s.askPerGiB(), "ask 0 = free unless the user sets a price");
        assertEquals(SpeedSettings.defaults().paymentThreshold(), s.paymentThreshold());
        assertEquals(SpeedEconomy.DEFAULT_UNPAID_UPLOAD_PERCENT, SpeedPreferences.read(SpeedPreferences.defaultFile(dir)).unpaidUploadPercentOrDefault());
    }

    @Test
    void readsDecimalBttAmounts() throws Exception {
        Files.writeString(SpeedPreferences.defaultFile(dir), "{\"paidSlots\":1,\"paymentThresholdBtt\":\"2\","
                + "\"disconnectThresholdBtt\":\"5\",\"unpaidUploadPercent\":40}");
        SpeedPreferences p = SpeedPreferences.read(SpeedPreferences.defaultFile(dir));
        SpeedSettings s = p.toSettings(new BigInteger("1500000000000000000"));
        assertEquals(new BigInteger("1500000000000000000"), s.askPerGiB());
        assertEquals(1, s.paidSlots());
        assertEquals(new BigInteger("500000000000000000"), s.receiptStep(), "receipt step = P / 4");
        assertEquals(40, p.unpaidUploadPercentOrDefault());
    }

    @Test
    void badFilesGetTypedErrorsThatSayWhatToDo() throws Exception {
        Path f = SpeedPreferences.defaultFile(dir);
        Files.writeString(f, "{not json");
        assertTrue(assertThrows(SpeedPreferencesException.class, () -> SpeedPreferences.read(f)).getMessage().contains("delete the file"));
        Files.writeString(f, "{\"paymentThresholdBtt\":\"-1\"}");
        assertThrows(SpeedPreferencesException.class, () -> SpeedPreferences.read(f).toSettings(BigInteger.ZERO));
        Files.writeString(f, "{\"paymentThresholdBtt\":\"10\",\"disconnectThresholdBtt\":\"5\"}");
        assertTrue(assertThrows(SpeedPreferencesException.class, () -> SpeedPreferences.read(f).toSettings(BigInteger.ZERO)).getMessage()
                .contains("disconnect threshold"));
    }
}
