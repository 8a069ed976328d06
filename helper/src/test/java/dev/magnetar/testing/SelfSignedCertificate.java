package dev.magnetar.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A key pair and a self-signed certificate made by the JDK's own {@code keytool} for one test, naming
 * the host it will be served as in its subjectAltName (RFC 5280 §4.2.1.6: what a TLS client matches).
 * It is trusted only where a test hands over {@link #trustStore()} — never by the JVM as a whole.
 */
public final class SelfSignedCertificate {

    private static final String PASSWORD = "test-only-keystore";

    private final Path keyStoreFile;
    private final Certificate certificate;

    private SelfSignedCertificate(Path keyStoreFile, Certificate certificate) {
        this.keyStoreFile = keyStoreFile;
        this.certificate = certificate;
    }

    /**
     * Makes one in {@code dir} for {@code subjectAltName} in keytool's form ({@code ip:127.0.0.1},
     * {@code dns:localhost}).
     */
    public static SelfSignedCertificate create(Path dir, String subjectAltName) throws Exception {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "mirror-", ".p12");
        Files.delete(file); // keytool makes the store itself
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        ExternalTools.Result made = ExternalTools.run(Duration.ofMinutes(1), keytool, "-genkeypair", "-alias", "mirror",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Magnetar test mirror",
                "-ext", "SAN=" + subjectAltName, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        if (made.exitCode() != 0) {
            throw new IllegalStateException("keytool could not make a certificate: " + made);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return new SelfSignedCertificate(file, store.getCertificate("mirror"));
    }

    /** The server's side: its key and certificate, for a Jetty https connector. */
    public SslContextFactory.Server serverTls() {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keyStoreFile.toString());
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePassword(PASSWORD);
        tls.setKeyManagerPassword(PASSWORD);
        return tls;
    }

    /** A trust store holding this certificate alone (no key): what a client that trusts this mirror, and nothing else, uses. */
    public KeyStore trustStore() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("mirror", certificate);
        return trust;
    }
}
