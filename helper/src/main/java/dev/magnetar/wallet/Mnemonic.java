package dev.magnetar.wallet;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A BIP-39 recovery phrase (English wordlist): entropy of 128–256 bits plus a SHA-256 checksum of
 * ENT/32 bits, cut into 11-bit word indexes. The seed is PBKDF2-HMAC-SHA512 of the phrase, salt
 * {@code "mnemonic" + passphrase}, 2048 iterations, both NFKD-normalised (BIP-39 "From mnemonic to
 * seed"). {@link #toString()} hides the words.
 */
public final class Mnemonic {

    private static final int PBKDF2_ITERATIONS = 2048;
    private static final int SEED_BITS = 512;

    private final List<String> words;

    private Mnemonic(List<String> words) {
        this.words = List.copyOf(words);
    }

    /** A new phrase of 12 (128-bit) or 24 (256-bit) words from {@code random}. */
    public static Mnemonic generate(int wordCount, SecureRandom random) {
        if (wordCount != 12 && wordCount != 24) {
            throw new IllegalArgumentException("new recovery phrases have 12 or 24 words, not " + wordCount);
        }
        byte[] entropy = new byte[wordCount == 12 ? 16 : 32];
        random.nextBytes(entropy);
        try {
            return fromEntropy(entropy);
        } finally {
            Arrays.fill(entropy, (byte) 0);
        }
    }

    /** Encodes 16, 20, 24, 28 or 32 bytes of entropy as 12–24 words. */
    public static Mnemonic fromEntropy(byte[] entropy) {
        if (entropy.length < 16 || entropy.length > 32 || entropy.length % 4 != 0) {
            throw new IllegalArgumentException("BIP-39 entropy is 16, 20, 24, 28 or 32 bytes, got " + entropy.length);
        }
        int checksumBits = entropy.length * 8 / 32;
        byte[] checksum = sha256(entropy);
        int wordCount = (entropy.length * 8 + checksumBits) / 11;
        List<String> words = new ArrayList<>(wordCount);
        for (int w = 0; w < wordCount; w++) {
            int index = 0;
            for (int b = 0; b < 11; b++) {
                int bit = w * 11 + b;
                index = (index << 1) | bitAt(entropy, checksum, bit);
            }
            words.add(Bip39Wordlist.word(index));
        }
        return new Mnemonic(words);
    }

    /**
     * Reads a phrase a user typed: case and extra whitespace are forgiven; every word must be in the
     * list and the checksum must match.
     */
    public static Mnemonic parse(String phrase) throws InvalidMnemonicException {
        if (phrase == null || phrase.isBlank()) {
            throw new InvalidMnemonicException("the recovery phrase is empty");
        }
        String normalized = Normalizer.normalize(phrase, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT).strip();
        List<String> words = List.of(normalized.split("\\s+"));
        int count = words.size();
        if (count < 12 || count > 24 || count % 3 != 0) {
            throw new InvalidMnemonicException("a recovery phrase has 12, 15, 18, 21 or 24 words; this one has " + count);
        }
        int[] indexes = new int[count];
        for (int i = 0; i < count; i++) {
            indexes[i] = Bip39Wordlist.indexOf(words.get(i));
            if (indexes[i] < 0) {
                // The word itself stays out of the message: messages reach logs, and a phrase's words are its secret.
                throw new InvalidMnemonicException("word " + (i + 1) + " is not in the BIP-39 English wordlist; check its spelling");
            }
        }
        int totalBits = count * 11;
        int checksumBits = totalBits / 33;
        int entropyBytes = (totalBits - checksumBits) / 8;
        byte[] entropy = new byte[entropyBytes];
        int checksumValue = 0;
        for (int bit = 0; bit < totalBits; bit++) {
            int value = (indexes[bit / 11] >> (10 - bit % 11)) & 1;
            if (bit < entropyBytes * 8) {
                entropy[bit / 8] |= (byte) (value << (7 - bit % 8));
            } else {
                checksumValue = (checksumValue << 1) | value;
            }
        }
        int expected = (sha256(entropy)[0] & 0xff) >> (8 - checksumBits);
        Arrays.fill(entropy, (byte) 0);
        if (expected != checksumValue) {
            throw new InvalidMnemonicException(
                    "the recovery phrase's checksum does not match: a word is wrong or two words are swapped");
        }
        return new Mnemonic(words);
    }

    public List<String> words() {
        return words;
    }

    /** The words separated by single spaces — show this only to the owner, for their backup. */
    public String phrase() {
        return String.join(" ", words);
    }

    /** The 64-byte BIP-39 seed; {@code passphrase} may be empty (the "25th word"). Caller wipes it. */
    public byte[] toSeed(String passphrase) {
        byte[] password = Normalizer.normalize(phrase(), Normalizer.Form.NFKD).getBytes(StandardCharsets.UTF_8);
        byte[] salt = Normalizer.normalize("mnemonic" + (passphrase == null ? "" : passphrase), Normalizer.Form.NFKD)
                .getBytes(StandardCharsets.UTF_8);
        PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(new SHA512Digest());
        pbkdf2.init(password, salt, PBKDF2_ITERATIONS);
        try {
            return ((KeyParameter) pbkdf2.generateDerivedParameters(SEED_BITS)).getKey();
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /** The TRON account key at {@link ExtendedPrivateKey#TRON_PATH} (m/44'/195'/0'/0/0). */
    public TronKey toTronKey(String passphrase) {
        byte[] seed = toSeed(passphrase);
        ExtendedPrivateKey master = ExtendedPrivateKey.master(seed);
        Arrays.fill(seed, (byte) 0);
        try {
            ExtendedPrivateKey account = master.derive(ExtendedPrivateKey.TRON_PATH);
            try {
                return account.toTronKey();
            } finally {
                account.destroy();
            }
        } catch (InvalidDerivationPathException impossible) {
            throw new IllegalStateException("the TRON path constant is valid", impossible);
        } finally {
            master.destroy();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mnemonic other && words.equals(other.words);
    }

    @Override
    public int hashCode() {
        return words.hashCode();
    }

    /** Never the words: a phrase must not reach a log line by accident. */
    @Override
    public String toString() {
        return "Mnemonic[" + words.size() + " words]";
    }

    private static int bitAt(byte[] entropy, byte[] checksum, int bit) {
        int entropyBits = entropy.length * 8;
        byte[] source = bit < entropyBits ? entropy : checksum;
        int offset = bit < entropyBits ? bit : bit - entropyBits;
        return (source[offset / 8] >> (7 - offset % 8)) & 1;
    }

    private static byte[] sha256(byte[] in) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(in, 0, in.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }
}
