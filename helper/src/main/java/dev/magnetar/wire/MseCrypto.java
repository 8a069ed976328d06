package dev.magnetar.wire;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.engines.RC4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The arithmetic of Message Stream Encryption ("MSE"/"PE", the Azureus/Vuze spec that libtorrent,
 * Transmission and qBittorrent speak): a Diffie-Hellman exchange modulo the spec's 768-bit prime with
 * generator 2, SHA-1 of labelled strings, and RC4 streams with the first 1024 bytes of key stream
 * thrown away. Bouncy Castle supplies RC4.
 */
final class MseCrypto {

    /**
     * The DH prime P of the MSE spec. It is NOT RFC 2409's 768-bit Oakley prime (Bouncy Castle's
     * {@code DHStandardGroups.rfc2409_768}), which shares its first 88 bytes and ends
     * {@code ...A63A3620FFFFFFFFFFFFFFFF}; with that one no peer computes our S. The same value is in
     * libtorrent's binary as a hex string.
     */
    static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
            + "29024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
            + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563", 16);
    static final BigInteger G = BigInteger.TWO;
    /** Bytes of a public key (Ya, Yb) and of the shared secret S on the wire: P's length. */
    static final int KEY_BYTES = 96;
    /** Private exponent size; the spec asks for at least 128 bits. */
    private static final int PRIVATE_BITS = 160;
    private static final int DISCARDED_KEY_STREAM = 1024;

    /** crypto_provide / crypto_select bits. */
    static final int PLAINTEXT = 0x01;
    static final int RC4 = 0x02;

    private MseCrypto() {}

    /** A private exponent; its public key is {@link #publicKey}. */
    static BigInteger privateKey(SecureRandom random) {
        return new BigInteger(PRIVATE_BITS, random).setBit(PRIVATE_BITS - 1);
    }

    static byte[] publicKey(BigInteger privateKey) {
        return toKeyBytes(G.modPow(privateKey, P));
    }

    /**
     * S from the peer's public key and our private one.
     *
     * @throws IllegalArgumentException if the peer's key is not in 2..P-2 (a key of 1 or P-1 would
     *     make S guessable)
     */
    static byte[] sharedSecret(byte[] theirPublicKey, BigInteger ourPrivateKey) {
        BigInteger y = new BigInteger(1, theirPublicKey);
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw new IllegalArgumentException("the peer's Diffie-Hellman key is out of range");
        }
        return toKeyBytes(y.modPow(ourPrivateKey, P));
    }

    /** SHA-1 of the parts one after the other, as the spec's HASH(). */
    static byte[] hash(byte[]... parts) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (byte[] p : parts) {
                sha1.update(p);
            }
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    static byte[] label(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code HASH('req1', S)}: the initiator's sync marker after PadA. */
    static byte[] req1(byte[] secret) {
        return hash(label("req1"), secret);
    }

    /**
     * {@code HASH('req2', SKEY) xor HASH('req3', S)}: how the initiator names the torrent, and, applied
     * to what it sent, how the responder recovers {@code HASH('req2', SKEY)} (xor undoes itself).
     */
    static byte[] maskReq2(byte[] req2OrMasked, byte[] secret) {
        byte[] req3 = hash(label("req3"), secret);
        byte[] out = req2OrMasked.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= req3[i];
        }
        return out;
    }

    /** {@code HASH('req2', infoHash)}. */
    static byte[] req2(byte[] infoHash) {
        return hash(label("req2"), infoHash);
    }

    /** The RC4 stream keyed with HASH(keyName, S, SKEY), its first 1024 bytes discarded. */
    static RC4Engine stream(String keyName, byte[] secret, byte[] skey) {
        RC4Engine rc4 = new RC4Engine();
        rc4.init(true, new KeyParameter(hash(label(keyName), secret, skey)));
        byte[] discard = new byte[DISCARDED_KEY_STREAM];
        rc4.processBytes(discard, 0, discard.length, discard, 0);
        return rc4;
    }

    /** Big-endian, left-padded with zeros to {@link #KEY_BYTES}. */
    private static byte[] toKeyBytes(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[KEY_BYTES];
        int copy = Math.min(raw.length, KEY_BYTES);
        System.arraycopy(raw, raw.length - copy, out, KEY_BYTES - copy, copy);
        return out;
    }
}
