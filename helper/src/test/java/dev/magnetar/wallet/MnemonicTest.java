package dev.magnetar.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class MnemonicTest {

    static final String ABANDON_ABOUT =
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    // BIP-39 reference vectors (trezor/python-mnemonic vectors.json, passphrase "TREZOR").
    @Test
    void trezorVectorAllZeroEntropyGivesPublishedPhraseAndSeed() throws Exception {
        Mnemonic m = Mnemonic.fromEntropy(new byte[16]);
        assertEquals(ABANDON_ABOUT, m.phrase());
        assertEquals("c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04",
                Hex.toHexString(Mnemonic.parse(ABANDON_ABOUT).toSeed("TREZOR")));
    }

    @Test
    void trezorVectorAllOnes256BitEntropyGivesPublishedPhraseAndSeed() throws Exception {
        byte[] entropy = new byte[32];
        java.util.Arrays.fill(entropy, (byte) 0xff);
        Mnemonic m = Mnemonic.fromEntropy(entropy);
        assertEquals("zoo ".repeat(23) + "vote", m.phrase());
        assertEquals("dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899ffd31ed3992c456cdf60f5d4564b8ba3f05a69890ad",
                Hex.toHexString(m.toSeed("TREZOR")));
    }

    @Test
    void trezorVectorsMapEntropyToPublishedPhrases() {
        assertEquals("legal winner thank year wave sausage worth useful legal winner thank yellow",
                Mnemonic.fromEntropy(Hex.decode("7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f")).phrase());
        assertEquals("ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic",
                Mnemonic.fromEntropy(Hex.decode("9e885d952ad362caeb4efe34a8e91bd2")).phrase());
        assertEquals("hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length",
                Mnemonic.fromEntropy(Hex.decode("68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c")).phrase());
    }

    @Test
    void derivesPublishedTronAccountKeyFromAbandonAbout() throws Exception {
        // TRON Ledger app README (fbsobreira/trx-ledger, "Test Case"): this phrase, no passphrase,
        // m/44'/195'/0'/0/0 → key b5a4…9a28, address 41c8599111f29c1e1e061265b4af93ea1f274ad78a.
        TronKey key = Mnemonic.parse(ABANDON_ABOUT).toTronKey("");
        assertEquals("b5a4cea271ff424d7c31dc12a3e43e401df7a40d7412a15750f3f0b6b5449a28", Hex.toHexString(key.privateKeyBytes()));
        assertEquals("41c8599111f29c1e1e061265b4af93ea1f274ad78a", key.address().toHex());
        assertEquals("TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH", key.address().toBase58());
    }

    @Test
    void passphraseChangesTheAccount() throws Exception {
        Mnemonic m = Mnemonic.parse(ABANDON_ABOUT);
        assertNotEquals(m.toTronKey("").address(), m.toTronKey("TREZOR").address());
    }

    @Test
    void parseForgivesCaseAndWhitespace() throws Exception {
        assertEquals(Mnemonic.parse(ABANDON_ABOUT), Mnemonic.parse("  ABANDON abandon\tabandon abandon abandon abandon abandon abandon abandon abandon abandon\n about "));
    }

    @Test
    void rejectsWrongChecksumSayingSo() {
        InvalidMnemonicException e = assertThrows(InvalidMnemonicException.class,
                () -> Mnemonic.parse("abandon ".repeat(12).strip()));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void rejectsUnknownWordNamingItsPositionButNotTheWord() {
        InvalidMnemonicException e = assertThrows(InvalidMnemonicException.class,
                () -> Mnemonic.parse(ABANDON_ABOUT.replaceFirst("about", "aboot")));
        assertTrue(e.getMessage().contains("word 12") && !e.getMessage().contains("aboot"), e.getMessage());
    }

    @Test
    void rejectsWrongWordCountAndEmptyInput() {
        InvalidMnemonicException e = assertThrows(InvalidMnemonicException.class,
                () -> Mnemonic.parse("abandon ".repeat(11).strip()));
        assertTrue(e.getMessage().contains("11"), e.getMessage());
        assertThrows(InvalidMnemonicException.class, () -> Mnemonic.parse(" "));
        assertThrows(InvalidMnemonicException.class, () -> Mnemonic.parse(null));
    }

    @Test
    void generatesValidPhrasesOf12And24Words() throws Exception {
        SecureRandom random = new SecureRandom();
        Mnemonic twelve = Mnemonic.generate(12, random);
        Mnemonic twentyFour = Mnemonic.generate(24, random);
        assertEquals(12, twelve.words().size());
        assertEquals(24, twentyFour.words().size());
        assertEquals(twelve, Mnemonic.parse(twelve.phrase()));
        assertEquals(twentyFour, Mnemonic.parse(twentyFour.phrase()));
        assertThrows(IllegalArgumentException.class, () -> Mnemonic.generate(13, random));
    }

    @Test
    void toStringHidesTheWords() throws Exception {
        Mnemonic m = Mnemonic.parse(ABANDON_ABOUT);
        assertFalse(m.toString().contains("abandon"));
    }

    @Test
    void wordlistIsTheCanonical2048UniqueWords() {
        var seen = new HashSet<String>();
        for (int i = 0; i < Bip39Wordlist.SIZE; i++) {
            String w = Bip39Wordlist.word(i);
            assertTrue(seen.add(w.substring(0, Math.min(4, w.length()))), "first four letters identify a word: " + w);
            assertEquals(i, Bip39Wordlist.indexOf(w));
        }
        assertEquals("abandon", Bip39Wordlist.word(0));
        assertEquals("zoo", Bip39Wordlist.word(2047));
    }

    @Property(tries = 100)
    void entropyRoundTripsThroughPhrase(@ForAll @Size(16) byte[] entropy16, @ForAll @Size(32) byte[] entropy32) throws Exception {
        for (byte[] entropy : new byte[][] {entropy16, entropy32}) {
            Mnemonic m = Mnemonic.fromEntropy(entropy);
            assertEquals(m, Mnemonic.parse(m.phrase()));
        }
    }
}
