package dev.magnetar.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.testing.TestTorrents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeDataCodecTest {

    private static final byte[] INFO = BencodeEncoder.encode(BDictionary.builder().put("name", "x").put("piece length", 16384).build());
    private static final InfoHash HASH = InfoHash.of(TestTorrents.sha1(INFO));

    static ResumeData sample() {
        Bitfield bits = new Bitfield(11);
        bits.set(0);
        bits.set(10);
        return new ResumeData(HASH, "/data/dl", 11, bits.toWire(),
                List.of(new ResumeData.FileState(40_000, 1_700_000_000_123L), ResumeData.FileState.ABSENT),
                List.of(4, 0), INFO);
    }

    @Test
    void roundTripKeepsEveryField() throws Exception {
        ResumeData d = sample();
        ResumeData back = ResumeDataCodec.decode(ResumeDataCodec.encode(d));
        assertEquals(d.infoHash(), back.infoHash());
        assertEquals(d.downloadDir(), back.downloadDir());
        assertEquals(d.verified(), back.verified());
        assertEquals(d.files(), back.files());
        assertEquals(d.priorities(), back.priorities());
        assertArrayEquals(INFO, back.infoBytes());
    }

    @Test
    void roundTripKeepsTheUnsyncedPiecesAndTheirBoot() throws Exception {
        ResumeData d = withUnsynced(sample(), 10, "boot-a");
        ResumeData back = ResumeDataCodec.decode(ResumeDataCodec.encode(d));
        assertEquals(d.unsynced(), back.unsynced());
        assertEquals("boot-a", back.bootId());
        assertEquals(d.verified(), back.trustedIn(java.util.Optional.of("boot-a")), "the same boot trusts every piece");
        Bitfield synced = new Bitfield(11);
        synced.set(0);
        assertEquals(synced, back.trustedIn(java.util.Optional.of("boot-b")), "another boot trusts the synced ones only");
        assertEquals(synced, back.trustedIn(java.util.Optional.empty()), "no boot id: the synced ones only");
    }

    @Test
    void unsyncedPiecesWithoutTheirBootAreRefused() throws Exception {
        BDictionary top = (BDictionary) dev.magnetar.bencode.BencodeDecoder.decode(
                ResumeDataCodec.encode(withUnsynced(sample(), 10, "boot-a")), dev.magnetar.bencode.BencodeLimits.DEFAULT);
        BDictionary.Builder stripped = BDictionary.builder();
        top.entries().forEach((k, v) -> {
            if (!k.utf8().equals("boot id")) {
                stripped.put(k, v);
            }
        });
        ResumeDataException e = assertThrows(ResumeDataException.class,
                () -> ResumeDataCodec.decode(BencodeEncoder.encode(stripped.build())));
        assertTrue(e.getMessage().contains("boot id"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> withUnsynced(sample(), 10, ""));
    }

    static ResumeData withUnsynced(ResumeData d, int piece, String bootId) {
        Bitfield unsynced = new Bitfield(d.pieceCount());
        unsynced.set(piece);
        return new ResumeData(d.infoHash(), d.downloadDir(), d.pieceCount(), d.verifiedWire(), d.files(), d.priorities(),
                d.infoBytes(), d.verifiedBy(), d.pieceLayers(), unsynced.toWire(), bootId);
    }

    @Test
    void infoBytesMustHashToTheInfoHash() {
        ResumeData d = sample();
        ResumeData forged = new ResumeData(InfoHash.of(new byte[20]), d.downloadDir(), d.pieceCount(), d.verifiedWire(),
                d.files(), d.priorities(), d.infoBytes());
        assertThrows(ResumeDataException.class, () -> ResumeDataCodec.decode(ResumeDataCodec.encode(forged)));
    }

    @Test
    void refusesSpareBitsAndBadPriorities() {
        byte[] encoded = ResumeDataCodec.encode(sample());
        String text = new String(encoded, java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] badPriority = text.replace("10:prioritiesli4ei0ee", "10:prioritiesli4ei9ee").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(!java.util.Arrays.equals(encoded, badPriority), "the edit applied");
        assertThrows(ResumeDataException.class, () -> ResumeDataCodec.decode(badPriority));
        // piece 10 is set, so claiming 10 pieces leaves a spare bit set (BEP 3: must be zero)
        byte[] badCount = text.replace("11:piece-counti11e", "11:piece-counti10e").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThrows(ResumeDataException.class, () -> ResumeDataCodec.decode(badCount));
    }

    @Property(tries = 500)
    void mutatedResumeDataNeverEscapesAsAnUncheckedException(@ForAll int position, @ForAll byte replacement,
            @ForAll boolean truncate) {
        byte[] encoded = ResumeDataCodec.encode(sample());
        encoded[Math.floorMod(position, encoded.length)] = replacement;
        byte[] input = truncate ? java.util.Arrays.copyOf(encoded, Math.floorMod(position, encoded.length)) : encoded;
        try {
            ResumeDataCodec.decode(input);
        } catch (ResumeDataException expected) {
            // the only acceptable failure
        }
    }

    @Test
    void storeWritesOwnerOnlyFilesAndListsThem(@TempDir Path dir) throws Exception {
        ResumeStore store = new ResumeStore(dir.resolve("resume"));
        store.save(sample());
        Path file = store.fileFor(HASH);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of(HASH), store.stored());
        assertEquals(sample().verified(), store.load(HASH).orElseThrow().verified());
        store.delete(HASH);
        assertTrue(store.load(HASH).isEmpty());
    }
}
