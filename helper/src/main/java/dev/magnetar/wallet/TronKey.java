package dev.magnetar.wallet;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.encoders.Hex;

/**
 * A TRON signing key: a secp256k1 private key with its public key and address. Holds the only copy of
 * the secret it was built from (the input array is copied, the caller should wipe its own);
 * {@link #destroy()} overwrites it, after which signing fails. {@link #toString()} never shows the
 * secret, so a key that ends up in a log line leaks nothing.
 */
public final class TronKey implements Destroyable {

    private final byte[] privateKey;
    private final byte[] publicKey;
    private final TronAddress address;
    private volatile boolean destroyed;

    private TronKey(byte[] privateKey) throws InvalidPrivateKeyException {
        this.publicKey = Secp256k1.publicKeyOf(privateKey);
        this.privateKey = privateKey.clone();
        this.address = TronAddress.fromPublicKey(publicKey);
    }

    /** A fresh key from {@code random} (rejection-sampled so it is uniform below the curve order). */
    public static TronKey generate(SecureRandom random) {
        byte[] candidate = new byte[Secp256k1.PRIVATE_KEY_BYTES];
        try {
            while (true) {
                random.nextBytes(candidate);
                try {
                    return new TronKey(candidate);
                } catch (InvalidPrivateKeyException outOfRange) {
                    // Probability ~2⁻¹²⁸: zero or ≥ n. Draw again.
                }
            }
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    /** From 32 raw bytes; the array is copied, so the caller may (and should) wipe it afterwards. */
    public static TronKey fromPrivateKey(byte[] privateKey) throws InvalidPrivateKeyException {
        return new TronKey(privateKey);
    }

    /** From 64 hex digits (an optional {@code 0x} is tolerated) — for importing a key a user pasted. */
    public static TronKey fromHex(String hex) throws InvalidPrivateKeyException {
        if (hex == null) {
            throw new InvalidPrivateKeyException("no private key given");
        }
        String digits = hex.strip();
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        if (digits.length() != 2 * Secp256k1.PRIVATE_KEY_BYTES) {
            throw new InvalidPrivateKeyException("a private key is 64 hex digits, got " + digits.length());
        }
        byte[] raw;
        try {
            raw = Hex.decodeStrict(digits);
        } catch (DecoderException e) {
            throw new InvalidPrivateKeyException("a private key is 64 hex digits (0-9, a-f); the text has other characters");
        }
        try {
            return new TronKey(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Signs a 32-byte hash (a transaction id): 65 bytes {@code r ‖ s ‖ v}, v = recovery id 0–3. */
    public byte[] sign(byte[] hash) {
        requireAlive();
        try {
            return Secp256k1.sign(hash, privateKey);
        } catch (InvalidPrivateKeyException impossible) {
            throw new IllegalStateException("key was validated at construction", impossible);
        }
    }

    public TronAddress address() {
        return address;
    }

    /**
     * A copy of the 32 secret bytes, for the keystore to encrypt and for an explicit, password-checked
     * export. The caller owns the copy and must wipe it.
     */
    public byte[] privateKeyBytes() {
        requireAlive();
        return privateKey.clone();
    }

    /** Overwrites the secret in memory. */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(privateKey, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "TronKey[" + address + (destroyed ? ", destroyed" : "") + "]";
    }

    private void requireAlive() {
        if (destroyed) {
            throw new IllegalStateException("this key was destroyed (wallet locked); unlock the wallet again");
        }
    }
}
