package dev.magnetar.wallet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.magnetar.util.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.encoders.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wallet's key at rest: one JSON file, mode 0600, replaced atomically. The private key (and the
 * recovery phrase, when the wallet was made from one) is encrypted with AES-256-GCM under a key
 * stretched from the password with scrypt; salt and nonce are fresh on every write. Nothing secret
 * leaves this class except through {@link #unlock}, {@link #exportPrivateKey} and
 * {@link #exportMnemonic}, each of which needs the password.
 */
public final class Keystore {

    private static final Logger LOG = LoggerFactory.getLogger(Keystore.class);

    public static final String KDF_NAME = "scrypt";
    public static final String CIPHER_NAME = "aes-256-gcm";
    private static final int SALT_BYTES = 32;
    private static final int NONCE_BYTES = 12; // NIST SP 800-38D recommended IV length for GCM
    private static final int KEY_BYTES = 32;
    private static final int TAG_BITS = 128;

    private final Path file;
    private final ScryptParams costForNewWrites;
    private final SecureRandom random;
    /** Built on first use, not when the daemon's start makes a keystore to ask whether a wallet exists (bench/README.md, start-up, session 20). */
    private static final class Binding {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** A keystore at {@code file}; new writes use {@code costForNewWrites} (existing files keep theirs). */
    public Keystore(Path file, ScryptParams costForNewWrites, SecureRandom random) {
        this.file = file;
        this.costForNewWrites = costForNewWrites;
        this.random = random;
    }

    /** The usual place inside the helper's data directory. */
    public static Path defaultFile(Path dataDirectory) {
        return dataDirectory.resolve("wallet").resolve("keystore.json");
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /**
     * Encrypts and writes a new keystore; refuses to replace an existing one, because that would
     * destroy the only copy of a key that may hold funds.
     */
    public TronAddress create(TronKey key, Mnemonic mnemonicOrNull, char[] password) throws KeystoreException {
        if (exists()) {
            throw new KeystoreException("a keystore already exists at " + file
                    + "; export or move it first — creating a new one would destroy its key");
        }
        write(key, mnemonicOrNull, password, costForNewWrites);
        LOG.info("Created keystore for {} at {}", key.address(), file);
        return key.address();
    }

    /** The account address, readable without the password. */
    public TronAddress address() throws KeystoreException {
        KeystoreFile stored = read();
        try {
            return TronAddress.fromBase58(stored.address());
        } catch (InvalidAddressException e) {
            throw new CorruptKeystoreException("keystore " + file + " holds an invalid address: " + e.getMessage(), e);
        }
    }

    /** Decrypts the signing key. The caller owns the returned key and must {@link TronKey#destroy()} it. */
    public TronKey unlock(char[] password) throws KeystoreException {
        Secrets secrets = decrypt(password);
        try {
            return secrets.key();
        } finally {
            Arrays.fill(secrets.mnemonicUtf8(), (byte) 0);
        }
    }

    /** Explicit export of the raw 32-byte private key; needs the password. The caller wipes the array. */
    public byte[] exportPrivateKey(char[] password) throws KeystoreException {
        Secrets secrets = decrypt(password);
        Arrays.fill(secrets.mnemonicUtf8(), (byte) 0);
        try {
            LOG.info("Private key of {} exported on request", secrets.key().address());
            return secrets.key().privateKeyBytes();
        } finally {
            secrets.key().destroy();
        }
    }

    /** Explicit export of the recovery phrase, when the wallet was created from one; needs the password. */
    public Optional<Mnemonic> exportMnemonic(char[] password) throws KeystoreException {
        Secrets secrets = decrypt(password);
        secrets.key().destroy();
        try {
            if (secrets.mnemonicUtf8().length == 0) {
                return Optional.empty();
            }
            LOG.info("Recovery phrase exported on request");
            return Optional.of(Mnemonic.parse(new String(secrets.mnemonicUtf8(), StandardCharsets.UTF_8)));
        } catch (InvalidMnemonicException e) {
            throw new CorruptKeystoreException("the stored recovery phrase is invalid: " + e.getMessage(), e);
        } finally {
            Arrays.fill(secrets.mnemonicUtf8(), (byte) 0);
        }
    }

    /** Re-encrypts under a new password, with fresh salt and nonce and the current default cost. */
    public void changePassword(char[] oldPassword, char[] newPassword) throws KeystoreException {
        Secrets secrets = decrypt(oldPassword);
        try {
            Mnemonic mnemonic = secrets.mnemonicUtf8().length == 0 ? null
                    : Mnemonic.parse(new String(secrets.mnemonicUtf8(), StandardCharsets.UTF_8));
            write(secrets.key(), mnemonic, newPassword, costForNewWrites);
            LOG.info("Keystore password changed for {}", secrets.key().address());
        } catch (InvalidMnemonicException e) {
            throw new CorruptKeystoreException("the stored recovery phrase is invalid: " + e.getMessage(), e);
        } finally {
            secrets.key().destroy();
            Arrays.fill(secrets.mnemonicUtf8(), (byte) 0);
        }
    }

    private record Secrets(TronKey key, byte[] mnemonicUtf8) {}

    private void write(TronKey key, Mnemonic mnemonic, char[] password, ScryptParams cost) throws KeystoreException {
        requirePassword(password);
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        String address = key.address().toBase58();
        KeystoreFile.Kdf kdf = new KeystoreFile.Kdf(KDF_NAME, cost.n(), cost.r(), cost.p(), Hex.toHexString(salt));
        KeystoreFile.Cipher cipher = new KeystoreFile.Cipher(CIPHER_NAME, Hex.toHexString(nonce));

        // Plaintext layout: 32 key bytes ‖ UTF-8 recovery phrase (possibly empty). Byte arrays, not
        // Strings, so every copy can be wiped.
        byte[] privateKey = key.privateKeyBytes();
        byte[] phrase = mnemonic == null ? new byte[0] : mnemonic.phrase().getBytes(StandardCharsets.UTF_8);
        byte[] plaintext = new byte[privateKey.length + phrase.length];
        System.arraycopy(privateKey, 0, plaintext, 0, privateKey.length);
        System.arraycopy(phrase, 0, plaintext, privateKey.length, phrase.length);
        Arrays.fill(privateKey, (byte) 0);
        Arrays.fill(phrase, (byte) 0);

        byte[] derived = deriveKey(password, salt, cost);
        try {
            byte[] ciphertext = gcm(true, derived, nonce, associatedData(KeystoreFile.VERSION, address, kdf, cipher), plaintext);
            KeystoreFile stored = new KeystoreFile(KeystoreFile.VERSION, address, kdf, cipher, Hex.toHexString(ciphertext));
            AtomicFiles.writePrivate(file, Binding.JSON.writeValueAsBytes(stored));
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption cannot fail on valid parameters", e);
        } catch (IOException e) {
            throw new KeystoreException("cannot write keystore " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(derived, (byte) 0);
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private Secrets decrypt(char[] password) throws KeystoreException {
        requirePassword(password);
        KeystoreFile stored = read();
        ScryptParams cost;
        byte[] salt;
        byte[] nonce;
        byte[] ciphertext;
        TronAddress expectedAddress;
        try {
            if (stored.version() != KeystoreFile.VERSION) {
                throw new CorruptKeystoreException("keystore version " + stored.version()
                        + " is not supported by this helper (it reads version " + KeystoreFile.VERSION + "); update Magnetar");
            }
            if (stored.kdf() == null || !KDF_NAME.equals(stored.kdf().name())) {
                throw new CorruptKeystoreException("keystore KDF must be " + KDF_NAME);
            }
            if (stored.cipher() == null || !CIPHER_NAME.equals(stored.cipher().name())) {
                throw new CorruptKeystoreException("keystore cipher must be " + CIPHER_NAME);
            }
            cost = new ScryptParams(stored.kdf().n(), stored.kdf().r(), stored.kdf().p());
            salt = Hex.decodeStrict(String.valueOf(stored.kdf().salt()));
            nonce = Hex.decodeStrict(String.valueOf(stored.cipher().nonce()));
            ciphertext = Hex.decodeStrict(String.valueOf(stored.ciphertext()));
            expectedAddress = TronAddress.fromBase58(stored.address());
        } catch (IllegalArgumentException | DecoderException | InvalidAddressException e) {
            throw new CorruptKeystoreException("keystore " + file + " is damaged: " + e.getMessage(), e);
        }
        if (salt.length < 16 || nonce.length != NONCE_BYTES || ciphertext.length < Secp256k1.PRIVATE_KEY_BYTES + TAG_BITS / 8) {
            throw new CorruptKeystoreException("keystore " + file + " is damaged: salt, nonce or ciphertext has the wrong length");
        }

        byte[] derived = deriveKey(password, salt, cost);
        byte[] plaintext;
        try {
            plaintext = gcm(false, derived, nonce, associatedData(stored.version(), stored.address(), stored.kdf(), stored.cipher()), ciphertext);
        } catch (InvalidCipherTextException e) {
            LOG.warn("Keystore unlock refused for {}: wrong password or altered file", stored.address());
            throw new WrongPasswordException("wrong password for wallet " + stored.address()
                    + " (or the keystore file was altered); try again");
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
        try {
            TronKey key = TronKey.fromPrivateKey(Arrays.copyOf(plaintext, Secp256k1.PRIVATE_KEY_BYTES));
            if (!key.address().equals(expectedAddress)) {
                key.destroy();
                throw new CorruptKeystoreException("keystore " + file + " decrypts to a key for another address");
            }
            return new Secrets(key, Arrays.copyOfRange(plaintext, Secp256k1.PRIVATE_KEY_BYTES, plaintext.length));
        } catch (InvalidPrivateKeyException e) {
            throw new CorruptKeystoreException("keystore " + file + " decrypts to an invalid key", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private KeystoreFile read() throws KeystoreException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeystoreException("no wallet yet: " + file + " does not exist; create or import one first", e);
        } catch (IOException e) {
            throw new KeystoreException("cannot read keystore " + file + ": " + e.getMessage(), e);
        }
        try {
            KeystoreFile stored = Binding.JSON.readValue(bytes, KeystoreFile.class);
            if (stored == null || stored.address() == null || stored.kdf() == null || stored.cipher() == null || stored.ciphertext() == null) {
                throw new CorruptKeystoreException("keystore " + file + " is missing fields (address, kdf, cipher, ciphertext)");
            }
            return stored;
        } catch (JsonProcessingException e) {
            throw new CorruptKeystoreException("keystore " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new KeystoreException("cannot read keystore " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] deriveKey(char[] password, byte[] salt, ScryptParams cost) throws KeystoreException {
        requireMemoryFor(cost, Runtime.getRuntime().maxMemory());
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] passwordBytes = new byte[encoded.remaining()];
        encoded.get(passwordBytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        try {
            return SCrypt.generate(passwordBytes, salt, cost.n(), cost.r(), cost.p(), KEY_BYTES);
        } catch (OutOfMemoryError e) {
            // The heap had room in total but not at this moment: the work array is one allocation,
            // so failing it leaves nothing half done.
            throw notEnoughMemory(cost);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    /**
     * Refuses up front a key derivation whose work array cannot fit the heap (a small launcher heap,
     * or a keystore file asking for a huge cost), instead of an OutOfMemoryError deep in a request.
     */
    static void requireMemoryFor(ScryptParams cost, long maxHeapBytes) throws KeystoreException {
        if (cost.memoryBytes() > maxHeapBytes / 4 * 3) {
            throw notEnoughMemory(cost);
        }
    }

    private static KeystoreException notEnoughMemory(ScryptParams cost) {
        return new KeystoreException("not enough memory to open the wallet: its key derivation (scrypt) needs "
                + (cost.memoryBytes() >> 20) + " MiB of heap; start the helper with a larger -Xmx (or none: the"
                + " installed launchers leave the JVM's default, a quarter of RAM)");
    }

    private static byte[] gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws InvalidCipherTextException {
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce, aad));
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        int len = cipher.processBytes(input, 0, input.length, out, 0);
        len += cipher.doFinal(out, len);
        return len == out.length ? out : Arrays.copyOf(out, len);
    }

    /** The header bound into the GCM tag: changing any of it makes the file undecryptable. */
    private static byte[] associatedData(int version, String address, KeystoreFile.Kdf kdf, KeystoreFile.Cipher cipher) {
        String header = "magnetar-keystore|" + version + "|" + address + "|" + kdf.name() + "|" + kdf.n() + "|" + kdf.r()
                + "|" + kdf.p() + "|" + kdf.salt() + "|" + cipher.name() + "|" + cipher.nonce();
        return header.getBytes(StandardCharsets.UTF_8);
    }

    private static void requirePassword(char[] password) throws KeystoreException {
        if (password == null || password.length == 0) {
            throw new KeystoreException("a wallet password is required");
        }
    }
}
