package dev.magnetar.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoreTest {

    /** Cheap scrypt so the suite stays fast; the file records it, so unlock uses the same. */
    static final ScryptParams FAST = new ScryptParams(1 << 4, 8, 1);
    static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    @TempDir Path dataDir;

    private Keystore keystore() {
        return new Keystore(Keystore.defaultFile(dataDir), FAST, new SecureRandom());
    }

    @Test
    void defaultCostIsScryptN2To17R8P1() {
        assertEquals(new ScryptParams(1 << 17, 8, 1), ScryptParams.DEFAULT);
    }

    @Test
    void aHeapTooSmallForScryptGetsAClearErrorNotAnOutOfMemoryError() throws Exception {
        // The default cost needs 128 MiB: a 128 MiB heap cannot hold it beside anything else.
        KeystoreException e = assertThrows(KeystoreException.class,
                () -> Keystore.requireMemoryFor(ScryptParams.DEFAULT, 128L << 20));
        assertTrue(e.getMessage().contains("128 MiB") && e.getMessage().contains("-Xmx"), e.getMessage());
        Keystore.requireMemoryFor(ScryptParams.DEFAULT, 256L << 20); // a 256 MiB heap: fits
        assertEquals(128L << 20, ScryptParams.DEFAULT.memoryBytes());
    }

    @Test
    void createThenUnlockReturnsTheSameKey() throws Exception {
        TronKey original = TronKey.fromHex(TronAddressTest.COW_KEY);
        Keystore ks = keystore();
        assertEquals(original.address(), ks.create(original, null, PASSWORD));
        TronKey unlocked = ks.unlock(PASSWORD);
        assertArrayEquals(original.privateKeyBytes(), unlocked.privateKeyBytes());
    }

    @Test
    void addressIsReadableWhileLocked() throws Exception {
        Keystore ks = keystore();
        ks.create(TronKey.fromHex(TronAddressTest.COW_KEY), null, PASSWORD);
        assertEquals(TronAddressTest.COW_BASE58, new Keystore(ks.file(), FAST, new SecureRandom()).address().toBase58());
    }

    @Test
    void fileIsOwnerOnlyJsonWithKdfParametersAndNoPlaintext() throws Exception {
        Keystore ks = keystore();
        ks.create(TronKey.fromHex(TronAddressTest.COW_KEY), null, PASSWORD);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ks.file())));
        var tree = new ObjectMapper().readTree(ks.file().toFile());
        assertEquals(1, tree.get("version").asInt());
        assertEquals("scrypt", tree.get("kdf").get("name").asText());
        assertEquals(16, tree.get("kdf").get("n").asInt());
        assertEquals("aes-256-gcm", tree.get("cipher").get("name").asText());
        assertEquals(TronAddressTest.COW_BASE58, tree.get("address").asText());
        assertFalse(Files.readString(ks.file()).contains(TronAddressTest.COW_KEY));
    }

    @Test
    void wrongPasswordIsATypedErrorWithAClearMessage() throws Exception {
        Keystore ks = keystore();
        ks.create(TronKey.fromHex(TronAddressTest.COW_KEY), null, PASSWORD);
        WrongPasswordException e = assertThrows(WrongPasswordException.class, () -> ks.unlock("guess".toCharArray()));
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
        assertThrows(KeystoreException.class, () -> ks.unlock(new char[0]));
    }

    @Test
    void refusesToOverwriteAnExistingKeystore() throws Exception {
        Keystore ks = keystore();
        ks.create(TronKey.fromHex(TronAddressTest.COW_KEY), null, PASSWORD);
        KeystoreException e = assertThrows(KeystoreException.class,
                () -> ks.create(TronKey.generate(new SecureRandom()), null, PASSWORD));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(TronAddressTest.COW_BASE58, ks.address().toBase58());
    }

    @Test
    void missingFileSaysToCreateAWallet() {
        KeystoreException e = assertThrows(KeystoreException.class, () -> keystore().address());
        assertTrue(e.getMessage().contains("create or import"), e.getMessage());
    }

    @Test
    void corruptedJsonIsATypedError() throws Exception {
        Keystore ks = keystore();
        Files.createDirectories(ks.file().getParent());
        Files.writeString(ks.file(), "{ not json");
        assertThrows(CorruptKeystoreException.class, () -> ks.unlock(PASSWORD));
        Files.writeString(ks.file(), "{\"version\":1}");
        assertThrows(CorruptKeystoreException.class, () -> ks.unlock(PASSWORD));
    }

    @Test
    void impossibleKdfParametersAreCorruptionNotACrash() throws Exception {
        Keystore ks = keystore();
        ks.create(TronKey.fromHex(TronAddressTest.COW_KEY), null, PASSWORD);
        ObjectMapper json = new ObjectMapper();
        ObjectNode tree = (ObjectNode) json.readTree(ks.file().toFile());
        ((ObjectNode) tree.get("kdf")).put("n", 1 << 30); // would allocate 1 TiB
        Files.write(ks.file(), json.writeValueAsBytes(tree));
        assertThrows(CorruptKeystoreException.class, () -> ks.unlock(PASSWORD));
    }

    @Test
    void editedAddressOrCiphertextIsRejected() throws Exception {
        Keystore ks = keystore();
        ks.create(TronKey.fromHex(TronAddressTest.COW_KEY), null, PASSWORD);
        ObjectMapper json = new ObjectMapper();
        byte[] pristine = Files.readAllBytes(ks.file());

        // Address swapped for another valid one: the GCM associated data no longer matches.
        ObjectNode tree = (ObjectNode) json.readTree(pristine);
        tree.put("address", TronAddressTest.MAINNET_BTT);
        Files.write(ks.file(), json.writeValueAsBytes(tree));
        assertThrows(WrongPasswordException.class, () -> ks.unlock(PASSWORD));

        // One ciphertext bit flipped: the tag fails.
        tree = (ObjectNode) json.readTree(pristine);
        byte[] ct = Hex.decode(tree.get("ciphertext").asText());
        ct[3] ^= 1;
        tree.put("ciphertext", Hex.toHexString(ct));
        Files.write(ks.file(), json.writeValueAsBytes(tree));
        assertThrows(WrongPasswordException.class, () -> ks.unlock(PASSWORD));
    }

    @Test
    void mnemonicIsStoredEncryptedAndExportedOnlyWithPassword() throws Exception {
        Mnemonic mnemonic = Mnemonic.parse(MnemonicTest.ABANDON_ABOUT);
        Keystore ks = keystore();
        ks.create(mnemonic.toTronKey(""), mnemonic, PASSWORD);
        assertFalse(Files.readString(ks.file()).contains("abandon"));
        assertEquals(mnemonic, ks.exportMnemonic(PASSWORD).orElseThrow());
        assertThrows(WrongPasswordException.class, () -> ks.exportMnemonic("nope".toCharArray()));
        assertEquals("b5a4cea271ff424d7c31dc12a3e43e401df7a40d7412a15750f3f0b6b5449a28",
                Hex.toHexString(ks.exportPrivateKey(PASSWORD)));
        assertThrows(WrongPasswordException.class, () -> ks.exportPrivateKey("nope".toCharArray()));
    }

    @Test
    void keyImportedWithoutMnemonicExportsNoMnemonic() throws Exception {
        Keystore ks = keystore();
        ks.create(TronKey.fromHex(TronAddressTest.COW_KEY), null, PASSWORD);
        assertTrue(ks.exportMnemonic(PASSWORD).isEmpty());
    }

    @Test
    void eachWriteUsesFreshSaltAndNonce() throws Exception {
        Keystore a = new Keystore(dataDir.resolve("a.json"), FAST, new SecureRandom());
        Keystore b = new Keystore(dataDir.resolve("b.json"), FAST, new SecureRandom());
        TronKey key = TronKey.fromHex(TronAddressTest.COW_KEY);
        a.create(key, null, PASSWORD);
        b.create(key, null, PASSWORD);
        ObjectMapper json = new ObjectMapper();
        var ta = json.readTree(a.file().toFile());
        var tb = json.readTree(b.file().toFile());
        assertNotEquals(ta.get("kdf").get("salt"), tb.get("kdf").get("salt"));
        assertNotEquals(ta.get("cipher").get("nonce"), tb.get("cipher").get("nonce"));
        assertNotEquals(ta.get("ciphertext"), tb.get("ciphertext"));
    }

    @Test
    void changePasswordReencryptsAndOldPasswordStopsWorking() throws Exception {
        Keystore ks = keystore();
        ks.create(TronKey.fromHex(TronAddressTest.COW_KEY), null, PASSWORD);
        char[] next = "new password".toCharArray();
        ks.changePassword(PASSWORD, next);
        assertThrows(WrongPasswordException.class, () -> ks.unlock(PASSWORD));
        assertEquals(TronAddressTest.COW_BASE58, ks.unlock(next).address().toBase58());
        assertThrows(WrongPasswordException.class, () -> ks.changePassword("x".toCharArray(), PASSWORD));
    }

    @Test
    void unicodePasswordsWork() throws Exception {
        Keystore ks = keystore();
        char[] password = "pässwörd ✓ 密码".toCharArray();
        ks.create(TronKey.fromHex(TronAddressTest.COW_KEY), null, password);
        assertEquals(TronAddressTest.COW_BASE58, ks.unlock(password).address().toBase58());
    }
}
