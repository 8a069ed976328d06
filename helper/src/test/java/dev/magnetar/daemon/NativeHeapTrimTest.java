package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeHeapTrimTest {

    @Test
    void aJvmThatHasTheDiagnosticCommandTrimsOnRequest() {
        Runtime.Version v = Runtime.version();
        boolean has = (v.feature() == 17 && v.update() >= 9) || (v.feature() == 21 && v.update() >= 1) || v.feature() >= 22;
        String report = NativeHeapTrim.trim();
        if (has) {
            assertNotNull(report, "this JVM (" + v + ") has System.trim_native_heap");
            assertTrue(report.contains("Trim native heap"), report);
        }
    }
}
