package dev.magnetar.webseed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.SelfSignedCertificate;
import dev.magnetar.testing.WebSeedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP side of web seeds against a real Jetty server on 127.0.0.1 that can be told to misbehave. */
class WebSeedClientTest {

    @TempDir
    Path root;

    @TempDir
    static Path certificates;
    private static SelfSignedCertificate loopbackCertificate;

    /** Made once for the class: keytool is a JVM of its own. */
    private static synchronized SelfSignedCertificate loopbackCertificate() throws Exception {
        if (loopbackCertificate == null) {
            loopbackCertificate = SelfSignedCertificate.create(certificates, "ip:127.0.0.1");
        }
        return loopbackCertificate;
    }

    /**
     * The product's limits with patient timeouts: on a loaded CI machine the first TLS handshake against
     * the JDK's whole CA list outlasted the 30 s idle timeout once, and these tests are about what fails
     * and why, not when.
     */
    private static final WebSeedClient.Settings PATIENT = new WebSeedClient.Settings(Duration.ofSeconds(60), Duration.ofSeconds(120),
            WebSeedClient.Settings.DEFAULTS.maxConnectionsPerServer(), WebSeedClient.Settings.DEFAULTS.maxRedirects(),
            WebSeedClient.Settings.DEFAULTS.userAgent());
    /** Longer than any fetch of a PATIENT client may take (its idle timeout twice). */
    private static final long ANSWER_SECONDS = 300;

    private byte[] content;
    private WebSeedServer server;
    private WebSeedClient client;

    @BeforeEach
    void serve() throws Exception {
        content = new byte[300_000];
        new SplittableRandom(7).nextBytes(content);
        Files.write(root.resolve("file.bin"), content);
        server = new WebSeedServer(root);
        client = new WebSeedClient(PATIENT);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private FileRange range(long offset, int length) {
        return new FileRange(server.uri("/file.bin"), offset, length, false);
    }

    private byte[] fetch(FileRange r) throws Exception {
        return client.fetch(r).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    private WebSeedException failure(FileRange r) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.fetch(r).get(ANSWER_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(WebSeedException.class, e.getCause());
    }

    @Test
    void fetchesOverHttpsFromAServerWhoseCertificateItWasGivenToTrust() throws Exception {
        SelfSignedCertificate cert = loopbackCertificate();
        try (WebSeedServer https = new WebSeedServer(root, cert.serverTls());
                WebSeedClient trusting = new WebSeedClient(PATIENT, cert.trustStore())) {
            FileRange r = new FileRange(https.uri("/file.bin"), 1000, 20_000, false);
            assertEquals("https", r.url().getScheme());
            assertArrayEquals(Arrays.copyOfRange(content, 1000, 21_000), trusting.fetch(r).get(ANSWER_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSelfSignedHttpsServerIsRefusedByTheDefaultTrustAndNeverAskedForBytes() throws Exception {
        SelfSignedCertificate cert = loopbackCertificate();
        try (WebSeedServer https = new WebSeedServer(root, cert.serverTls())) {
            WebSeedException e = failure(new FileRange(https.uri("/file.bin"), 0, 1000, false));
            assertInstanceOf(WebSeedRefusedException.class, e, "no retry makes an untrusted certificate trusted");
            assertTrue(e.getMessage().contains("TLS certificate this helper does not trust (no certificate authority this"
                    + " helper trusts vouches for it: self-signed, or from an unknown CA)"), e.getMessage());
            assertEquals(0, https.requests(), "no request went out before the certificate was checked");
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostNameIsRefused() throws Exception {
        // Trusting a certificate is not trusting it for any name: it names localhost, the URL 127.0.0.1.
        SelfSignedCertificate cert = SelfSignedCertificate.create(certificates, "dns:localhost");
        try (WebSeedServer https = new WebSeedServer(root, cert.serverTls());
                WebSeedClient trusting = new WebSeedClient(PATIENT, cert.trustStore())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> trusting.fetch(new FileRange(https.uri("/file.bin"), 0, 1000, false)).get(ANSWER_SECONDS, TimeUnit.SECONDS));
            WebSeedRefusedException refused = assertInstanceOf(WebSeedRefusedException.class, e.getCause());
            assertTrue(refused.getMessage().contains("does not trust (No subject alternative names matching IP address 127.0.0.1"),
                    refused.getMessage());
            assertEquals(0, https.requests());
        }
    }

    @Test
    void fetchesExactlyTheAskedRange() throws Exception {
        assertArrayEquals(Arrays.copyOfRange(content, 100_000, 150_000), fetch(range(100_000, 50_000)));
        assertArrayEquals(Arrays.copyOfRange(content, 299_999, 300_000), fetch(range(299_999, 1)));
    }

    @Test
    void aPadFileRangeIsZerosWithoutARequest() throws Exception {
        assertArrayEquals(new byte[100], client.fetch(new FileRange(null, 0, 100, true)).get());
        assertEquals(0, server.requests());
    }

    @Test
    void followsRedirectsToAnotherLocalServer() throws Exception {
        try (WebSeedServer mirror = new WebSeedServer(root)) {
            server.redirectTo("http://127.0.0.1:" + mirror.uri("/").getPort());
            assertArrayEquals(Arrays.copyOfRange(content, 0, 1000), fetch(range(0, 1000)));
            assertEquals(1, mirror.requests());
        }
    }

    @Test
    void aRedirectLoopStopsAfterTheBoundAndSaysSo() {
        server.mode(WebSeedServer.Mode.REDIRECT_LOOP);
        WebSeedException e = failure(range(0, 1000));
        assertTrue(e.getMessage().contains("redirected more than 5 times"), e.getMessage());
        assertEquals(6, server.requests(), "the first request and five redirects");
    }

    @Test
    void aRedirectFromLoopbackToAPublicAddressIsRefusedWithoutConnecting() {
        server.redirectTo("http://93.184.216.34"); // never contacted: the scope check comes first
        WebSeedException e = failure(range(0, 1000));
        assertInstanceOf(WebSeedRefusedException.class, e);
        assertTrue(e.getMessage().contains("to a public one"), e.getMessage());
    }

    @Test
    void aRedirectToAnotherSchemeIsRefused() {
        server.redirectTo("ftp://127.0.0.1");
        assertInstanceOf(WebSeedRefusedException.class, failure(range(0, 1000)));
    }

    @Test
    void busyWithRetryAfterReportsHowLongToWait() {
        server.busy(1, 7);
        WebSeedException e = failure(range(0, 1000));
        assertInstanceOf(WebSeedBusyException.class, e);
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
    }

    @Test
    void aServerIgnoringRangesIsUsableForTheFileHeadAndRefusedBeyondIt() throws Exception {
        server.mode(WebSeedServer.Mode.IGNORE_RANGES);
        assertArrayEquals(Arrays.copyOfRange(content, 0, 20_000), fetch(range(0, 20_000)));
        WebSeedException e = failure(range(20_000, 20_000));
        assertInstanceOf(WebSeedRefusedException.class, e);
        assertTrue(e.getMessage().contains("ignores HTTP range requests"), e.getMessage());
    }

    @Test
    void aShortBodyIsATransientFailure() {
        server.mode(WebSeedServer.Mode.SHORT_BODY);
        WebSeedException e = failure(range(0, 200_000));
        assertTrue(!(e instanceof WebSeedRefusedException), e.toString());
        assertTrue(e.getMessage().contains(" of the 200000 bytes asked for"), e.getMessage());
        assertNull(e.retryAfter());
    }

    @Test
    void aHugeContentLengthIsRefusedBeforeTheBodyIsRead() {
        server.mode(WebSeedServer.Mode.HUGE_LENGTH);
        WebSeedException e = failure(range(0, 1000));
        assertInstanceOf(WebSeedRefusedException.class, e);
        assertTrue(e.getMessage().contains("declared 1099511627776 bytes for a range of 1000"), e.getMessage());
    }

    @Test
    void aMissingFileAndARefusedConnectionAreTransient() throws Exception {
        WebSeedException missing = failure(new FileRange(server.uri("/nope.bin"), 0, 10, false));
        assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
        FileRange gone = range(0, 10);
        server.close();
        WebSeedException down = failure(gone);
        assertTrue(!(down instanceof WebSeedRefusedException), down.toString());
    }

    @Test
    void retryAfterReadsSecondsAndDatesAndCapsAnHour() {
        assertEquals(Duration.ofSeconds(120), WebSeedClient.retryAfter("120"));
        assertEquals(WebSeedClient.MAX_RETRY_AFTER, WebSeedClient.retryAfter("999999"));
        assertEquals(Duration.ZERO, WebSeedClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertNull(WebSeedClient.retryAfter("soon"));
        assertNull(WebSeedClient.retryAfter(null));
    }
}
