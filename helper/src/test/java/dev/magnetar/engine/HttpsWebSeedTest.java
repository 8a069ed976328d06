package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.SelfSignedCertificate;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.WebSeedServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web seeds (BEP 19) over https: a mirror with a self-signed certificate, made by the test, is used only
 * by an engine told to trust that certificate; any other engine refuses it with the reason in its status
 * and gets the torrent from its other sources. Nothing here touches the JVM's own trust.
 */
class HttpsWebSeedTest {

    private static final int PIECE = 64 * 1024;
    private static final long SIZE = 1_500_001; // an odd last piece

    @TempDir
    Path root;

    @TempDir
    static Path certificates;
    private static SelfSignedCertificate certificate;

    /** Made once for the class: keytool is a JVM of its own. */
    private static synchronized SelfSignedCertificate certificate() throws Exception {
        if (certificate == null) {
            certificate = SelfSignedCertificate.create(certificates, "ip:127.0.0.1");
        }
        return certificate;
    }

    private Path content() {
        return root.resolve("content");
    }

    private TorrentInfo file() {
        return TestTorrents.singleFile(content(), "mirrored.bin", PIECE, SIZE, 22);
    }

    private static Metainfo withWebSeeds(TorrentInfo info, String... urls) {
        return new Metainfo(info, List.of(), List.of(urls), null, null, null);
    }

    private static WebSeedStatus seed(Torrent t, String url) {
        return t.webSeedStatuses().stream().filter(s -> s.url().equals(url)).findFirst().orElseThrow();
    }

    @Test
    void aTorrentDownloadsFromAnHttpsWebSeedWhoseCertificateItsEngineTrusts() throws Exception {
        TorrentInfo info = file();
        SelfSignedCertificate cert = certificate();
        try (WebSeedServer https = new WebSeedServer(content(), cert.serverTls());
                Engine engine = Engine.start(loopback(root, "ours").toBuilder().webSeedTrustStore(cert.trustStore()).build())) {
            String url = https.uri("/mirrored.bin").toString();
            assertTrue(url.startsWith("https://127.0.0.1:"), url);
            Torrent t = engine.add(withWebSeeds(info, url), root.resolve("ours"), AddOptions.defaults());
            await(t.completion(), "the download from the https web seed");
            assertSameFiles(info, content(), root.resolve("ours"));
            WebSeedStatus s = seed(t, url);
            assertEquals("ACTIVE", s.state(), s.toString());
            assertEquals(SIZE, s.downloadedBytes(), "every byte came from the https mirror");
            assertTrue(https.requests() > 0);
        }
    }

    @Test
    void anHttpsWebSeedWithAnUntrustedCertificateIsDroppedWithTheReasonAndAnotherSourceCompletes() throws Exception {
        TorrentInfo info = file();
        SelfSignedCertificate cert = certificate();
        try (WebSeedServer https = new WebSeedServer(content(), cert.serverTls());
                WebSeedServer http = new WebSeedServer(content());
                Engine engine = Engine.start(loopback(root, "ours"))) {
            String untrusted = https.uri("/mirrored.bin").toString();
            String plain = http.uri("/mirrored.bin").toString();
            Torrent t = engine.add(withWebSeeds(info, untrusted, plain), root.resolve("ours"), AddOptions.defaults());
            await(t.completion(), "the download from the other web seed");
            assertSameFiles(info, content(), root.resolve("ours"));
            // Both seeds book pieces as soon as the torrent starts, so the https one's handshake is under way
            // even if the other finished first; its refusal is awaited, not assumed to have come before.
            Interop.pollUntil(() -> seed(t, untrusted).state().equals("DROPPED"), null, "the untrusted mirror to be dropped");
            WebSeedStatus refused = seed(t, untrusted);
            assertTrue(refused.lastError().contains("TLS certificate this helper does not trust (no certificate authority"),
                    refused.lastError());
            assertEquals(0, refused.downloadedBytes());
            assertEquals(0, https.requests(), "no request reached the untrusted mirror");
            assertEquals(SIZE, seed(t, plain).downloadedBytes());
        }
    }
}
