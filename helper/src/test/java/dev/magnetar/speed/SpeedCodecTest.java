package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wire.ExtensionHandshake;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SpeedCodecTest {

    static final TronKey PAYER = TronKey.generate(new SecureRandom());
    static final TronKey PAYEE = TronKey.generate(new SecureRandom());
    static final SpeedNetwork NET = new SpeedNetwork("devnet", 12345, TestAddresses.BTT);
    static final InfoHash IH = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");

    private static final List<SpeedMessage> SAMPLES = makeSamples();

    static List<SpeedMessage> samples() {
        return SAMPLES;
    }

    private static List<SpeedMessage> makeSamples() {
        Receipt r = new Receipt(PAYER.address(), PAYEE.address(), IH, NET.chainId(), 1L << 33, BigInteger.TEN.pow(30), 7);
        return List.of(
                new SpeedMessage.Bid(BigInteger.TEN.pow(19), 3),
                new SpeedMessage.BidResult(true, BigInteger.TEN.pow(18), 3, 9),
                SpeedMessage.BidResult.lost(0, 1),
                new SpeedMessage.ReceiptMessage(new SignedReceipt(r, PAYER.sign(r.digest(NET)))),
                new SpeedMessage.Payment(new PaymentProof.Trc20Transaction(new byte[32]), BigInteger.ONE),
                new SpeedMessage.Payment(new PaymentProof.Unsupported("cheque"), BigInteger.TWO),
                new SpeedMessage.Error(30, "debt", OptionalLong.of(4)),
                SpeedMessage.PaymentAck.of(new PaymentProof.Trc20Transaction(new byte[32]), SpeedMessage.PaymentAck.Status.CREDITED, null,
                        BigInteger.TEN.pow(19)),
                SpeedMessage.PaymentAck.of(new PaymentProof.Trc20Transaction(new byte[32]), SpeedMessage.PaymentAck.Status.NOT_HELD,
                        SpeedErrorCode.PAYMENT_NOT_FOUND, BigInteger.ZERO));
    }

    @Test
    void everyMessageRoundTrips() throws Exception {
        for (SpeedMessage m : samples()) {
            byte[] wire = SpeedCodec.encode(m);
            assertTrue(wire.length <= SpeedCodec.MAX_PAYLOAD_BYTES);
            assertEquals(m, SpeedCodec.decode(wire).orElseThrow());
        }
    }

    @Test
    void bidHasTheDocumentedEncoding() {
        assertEquals("d8:msg_typei0e4:rate3:1503:seqi2ee",
                new String(SpeedCodec.encode(new SpeedMessage.Bid(BigInteger.valueOf(150), 2)), StandardCharsets.US_ASCII));
    }

    @Test
    void paymentAckHasTheDocumentedEncoding() {
        SpeedMessage.PaymentAck ack = SpeedMessage.PaymentAck.of(new PaymentProof.Unsupported("cheque"),
                SpeedMessage.PaymentAck.Status.REJECTED, SpeedErrorCode.UNSUPPORTED_PROOF, BigInteger.valueOf(250));
        assertEquals("d4:codei26e8:credited3:2508:msg_typei5e5:proofd4:type6:chequee6:statusi3ee",
                new String(SpeedCodec.encode(ack), StandardCharsets.US_ASCII));
    }

    @Test
    void unknownMessageTypeIsIgnoredNotAnError() throws Exception {
        assertTrue(SpeedCodec.decode("d8:msg_typei99e1:xi1ee".getBytes(StandardCharsets.US_ASCII)).isEmpty());
    }

    @Test
    void malformedInputsAreTypedErrors() {
        for (String bad : List.of("", "le", "i3e", "d8:msg_typei0ee", "d8:msg_typei0e4:ratei5e3:seqi1ee",
                "d8:msg_typei0e4:rate2:053:seqi1ee", "d8:msg_typei0e4:rate2:-53:seqi1ee", "d8:msg_typei0e4:rate1:53:seqi0ee",
                "d8:msg_typei1e5:price1:53:roundi1e3:seqi0e3:woni0ee", "d8:msg_typei3e6:amount1:15:proofd4:txid1:x4:type8:trc20_txee",
                "d8:msg_typei0e4:rate1:53:seqi1ee-trailing",
                "d8:credited1:08:msg_typei5e5:proofd4:type6:chequee6:statusi4ee",
                "d8:credited2:-18:msg_typei5e5:proofd4:type6:chequee6:statusi0ee",
                "d8:credited1:08:msg_typei5e6:statusi0ee")) {
            MalformedSpeedMessageException e = assertThrows(MalformedSpeedMessageException.class,
                    () -> SpeedCodec.decode(bad.getBytes(StandardCharsets.US_ASCII)), bad);
            assertEquals(SpeedErrorCode.MALFORMED, e.code());
        }
        assertThrows(MalformedSpeedMessageException.class, () -> SpeedCodec.decode(new byte[SpeedCodec.MAX_PAYLOAD_BYTES + 1]));
        String longAmount = "9".repeat(Amounts.MAX_DIGITS + 1);
        assertThrows(MalformedSpeedMessageException.class, () -> SpeedCodec.decode(
                ("d8:msg_typei0e4:rate" + longAmount.length() + ":" + longAmount + "3:seqi1ee").getBytes(StandardCharsets.US_ASCII)));
    }

    @Property(tries = 1000)
    void garbageIsOnlyEverAMalformedError(@ForAll @Size(max = 200) byte[] garbage) {
        try {
            SpeedCodec.decode(garbage);
        } catch (MalformedSpeedMessageException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 1000)
    void mutatedMessagesAreOnlyEverAMalformedError(@ForAll int which, @ForAll int position, @ForAll byte replacement) {
        List<SpeedMessage> s = samples();
        byte[] wire = SpeedCodec.encode(s.get(Math.floorMod(which, s.size())));
        wire[Math.floorMod(position, wire.length)] = replacement;
        try {
            SpeedCodec.decode(wire);
        } catch (MalformedSpeedMessageException expected) {
            // the only acceptable failure
        }
    }

    @Test
    void handshakeRidesInTheBep10HandshakeAndSurvivesTheWire() throws Exception {
        SpeedHandshake ours = SpeedHandshake.of(PAYEE.address(), NET, BigInteger.TEN.pow(18));
        ExtensionHandshake bep10 = ours.addTo(ExtensionHandshake.builder().client("Magnetar"), 7).build();

        ExtensionHandshake received = ExtensionHandshake.decode(bep10.encode());

        assertEquals(7, received.idOf(SpeedHandshake.EXTENSION_NAME).orElseThrow());
        SpeedHandshake theirs = SpeedHandshake.from(received).orElseThrow();
        assertEquals(ours, theirs);
        assertTrue(ours.tradesWith(theirs));
    }

    @Test
    void peersOnDifferentNetworksChainsOrTokensNeverTrade() {
        SpeedHandshake devnet = SpeedHandshake.of(PAYEE.address(), NET, BigInteger.ONE);
        assertTrue(!devnet.tradesWith(SpeedHandshake.of(PAYER.address(), new SpeedNetwork("mainnet", 728126428, TestAddresses.BTT), BigInteger.ONE)));
        assertTrue(!devnet.tradesWith(SpeedHandshake.of(PAYER.address(), new SpeedNetwork("devnet", 54321, TestAddresses.BTT), BigInteger.ONE)));
        assertTrue(!devnet.tradesWith(SpeedHandshake.of(PAYER.address(), new SpeedNetwork("devnet", 12345, PAYEE.address()), BigInteger.ONE)));
    }

    @Test
    void peerWithoutTheExtensionOrWithABrokenEntryDoesNotSpeakIt() {
        assertTrue(SpeedHandshake.from(ExtensionHandshake.builder().message("ut_metadata", 2).build()).isEmpty());
        BDictionary broken = BDictionary.builder().put("v", 1).put("addr", "not-an-address").build();
        assertTrue(SpeedHandshake.from(ExtensionHandshake.builder().message("mg_speed", 3).other("mg_speed", broken).build()).isEmpty());
        BDictionary badAsk = SpeedHandshake.of(PAYEE.address(), NET, BigInteger.ONE).toBencode();
        BDictionary leadingZero = BDictionary.builder().put("v", 1).put("addr", PAYEE.address().toBase58()).put("net", "devnet")
                .put("chain", 1).put("token", TestAddresses.BTT.toBase58()).put("ask", "01").build();
        assertTrue(SpeedHandshake.from(ExtensionHandshake.builder().message("mg_speed", 3).other("mg_speed", leadingZero).build()).isEmpty());
        assertTrue(BencodeEncoder.encode(badAsk).length <= SpeedHandshake.MAX_ENCODED_BYTES);
    }

    @Test
    void receiptDigestIsFixedWidthAndDomainSeparated() {
        Receipt r = new Receipt(PAYER.address(), PAYEE.address(), IH, NET.chainId(), 5, BigInteger.ONE, 1);
        assertEquals(32, r.digest(NET).length);
        assertEquals(0, Receipt.DOMAIN[0], "0x00 is an invalid protobuf tag: never a TRON raw_data");
        assertTrue(!java.util.Arrays.equals(r.digest(NET), r.digest(new SpeedNetwork("nile", NET.chainId(), NET.token()))));
        assertArrayEquals(r.digest(NET), new Receipt(PAYER.address(), PAYEE.address(), IH, NET.chainId(), 5, BigInteger.ONE, 1).digest(NET));
    }

    static TronAddress address() {
        return TronKey.generate(new SecureRandom()).address();
    }
}
