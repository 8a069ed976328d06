package dev.magnetar.speed;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BInteger;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.bencode.BencodeException;
import dev.magnetar.bencode.BencodeLimits;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wallet.InvalidAddressException;
import dev.magnetar.wallet.TronAddress;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Bytes ⇄ {@link SpeedMessage} for the payload of an {@code mg_speed} extended message (spec §4).
 * Decoding never throws anything but {@link MalformedSpeedMessageException}: the payload is capped at
 * {@value #MAX_PAYLOAD_BYTES} bytes before the bencode decoder (itself under
 * {@link BencodeLimits#NETWORK}) sees it, and every field is type- and range-checked.
 */
public final class SpeedCodec {

    public static final int MAX_PAYLOAD_BYTES = 1024;
    private static final BencodeLimits LIMITS = new BencodeLimits(4, MAX_PAYLOAD_BYTES, 64, false);

    static final int BID = 0;
    static final int BID_RESULT = 1;
    static final int RECEIPT = 2;
    static final int PAYMENT = 3;
    static final int ERROR = 4;
    static final int PAYMENT_ACK = 5;

    private SpeedCodec() {}

    public static byte[] encode(SpeedMessage message) {
        BDictionary.Builder d = BDictionary.builder();
        if (message instanceof SpeedMessage.Bid b) {
            d.put("msg_type", BID).put("rate", Amounts.encode(b.ratePerGiB())).put("seq", b.sequence());
        } else if (message instanceof SpeedMessage.BidResult r) {
            d.put("msg_type", BID_RESULT).put("won", r.won() ? 1 : 0).put("price", Amounts.encode(r.pricePerGiB()))
                    .put("seq", r.bidSequence()).put("round", r.round());
        } else if (message instanceof SpeedMessage.ReceiptMessage m) {
            Receipt r = m.receipt().receipt();
            d.put("msg_type", RECEIPT).put("payer", r.payer().toBase58()).put("payee", r.payee().toBase58())
                    .put("ih", r.infoHash().bytes()).put("chain", r.chainId()).put("bytes", r.bytes())
                    .put("amount", Amounts.encode(r.amount())).put("seq", r.sequence()).put("sig", m.receipt().signature());
        } else if (message instanceof SpeedMessage.Payment p) {
            d.put("msg_type", PAYMENT).put("proof", proof(p.proof())).put("amount", Amounts.encode(p.amount()));
        } else if (message instanceof SpeedMessage.PaymentAck a) {
            d.put("msg_type", PAYMENT_ACK).put("proof", proof(a.proof())).put("status", a.status().wire())
                    .put("credited", Amounts.encode(a.creditedTotal()));
            a.code().ifPresent(c -> d.put("code", c));
        } else {
            SpeedMessage.Error e = (SpeedMessage.Error) message;
            d.put("msg_type", ERROR).put("code", e.code()).put("msg", e.message());
            e.sequence().ifPresent(s -> d.put("seq", s));
        }
        byte[] out = BencodeEncoder.encode(d.build());
        if (out.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalStateException("an mg_speed message encoded to " + out.length + " bytes; the limit is " + MAX_PAYLOAD_BYTES);
        }
        return out;
    }

    private static BDictionary proof(PaymentProof p) {
        BDictionary.Builder proof = BDictionary.builder().put("type", p.type());
        if (p instanceof PaymentProof.Trc20Transaction tx) {
            proof.put("txid", tx.txid());
        }
        return proof.build();
    }

    /**
     * @return the message, or empty for a {@code msg_type} this version does not know (spec §4: ignore it)
     */
    public static Optional<SpeedMessage> decode(byte[] payload) throws MalformedSpeedMessageException {
        if (payload == null || payload.length > MAX_PAYLOAD_BYTES) {
            throw new MalformedSpeedMessageException("an mg_speed payload is at most " + MAX_PAYLOAD_BYTES + " bytes");
        }
        BValue value;
        try {
            value = BencodeDecoder.decode(payload, LIMITS);
        } catch (BencodeException e) {
            throw new MalformedSpeedMessageException("not valid bencode: " + e.getMessage(), e);
        }
        if (!(value instanceof BDictionary d)) {
            throw new MalformedSpeedMessageException("an mg_speed payload is a dictionary, got a " + value.kind());
        }
        long type = integer(d, "msg_type", 0, Long.MAX_VALUE);
        try {
            return Optional.ofNullable(switch ((int) Math.min(type, Integer.MAX_VALUE)) {
                case BID -> new SpeedMessage.Bid(Amounts.decode("rate", d.get("rate")), integer(d, "seq", 1, Long.MAX_VALUE));
                case BID_RESULT -> bidResult(d);
                case RECEIPT -> new SpeedMessage.ReceiptMessage(receipt(d));
                case PAYMENT -> payment(d);
                case PAYMENT_ACK -> paymentAck(d);
                case ERROR -> new SpeedMessage.Error(integer(d, "code", 0, Long.MAX_VALUE), text(d, "msg", SpeedMessage.Error.MAX_MESSAGE_BYTES),
                        d.containsKey("seq") ? OptionalLong.of(integer(d, "seq", 0, Long.MAX_VALUE)) : OptionalLong.empty());
                default -> null;
            });
        } catch (IllegalArgumentException e) {
            // A record's own invariant (e.g. a lost bid with a price): the peer broke the spec.
            throw new MalformedSpeedMessageException(e.getMessage(), e);
        }
    }

    private static SpeedMessage.BidResult bidResult(BDictionary d) throws MalformedSpeedMessageException {
        boolean won = integer(d, "won", 0, 1) == 1;
        return new SpeedMessage.BidResult(won, Amounts.decode("price", d.get("price")), integer(d, "seq", 0, Long.MAX_VALUE),
                integer(d, "round", 1, Long.MAX_VALUE));
    }

    private static SignedReceipt receipt(BDictionary d) throws MalformedSpeedMessageException {
        Receipt r = new Receipt(address(d, "payer"), address(d, "payee"), InfoHash.of(bytes(d, "ih", InfoHash.LENGTH)),
                integer(d, "chain", 0, 0xFFFF_FFFFL), integer(d, "bytes", 0, Long.MAX_VALUE), Amounts.decode("amount", d.get("amount")),
                integer(d, "seq", 1, Long.MAX_VALUE));
        if (r.amount().bitLength() > 256) {
            throw new MalformedSpeedMessageException("\"amount\" does not fit 256 bits");
        }
        return new SignedReceipt(r, bytes(d, "sig", SignedReceipt.SIGNATURE_BYTES));
    }

    private static SpeedMessage.Payment payment(BDictionary d) throws MalformedSpeedMessageException {
        return new SpeedMessage.Payment(proof(d), Amounts.decode("amount", d.get("amount")));
    }

    private static SpeedMessage.PaymentAck paymentAck(BDictionary d) throws MalformedSpeedMessageException {
        long wire = integer(d, "status", 0, Long.MAX_VALUE);
        SpeedMessage.PaymentAck.Status status = SpeedMessage.PaymentAck.Status.ofWire(wire)
                .orElseThrow(() -> new MalformedSpeedMessageException("\"status\" " + wire + " is not one of 0-3"));
        OptionalLong code = d.containsKey("code") ? OptionalLong.of(integer(d, "code", 0, Long.MAX_VALUE)) : OptionalLong.empty();
        return new SpeedMessage.PaymentAck(proof(d), status, code, Amounts.decode("credited", d.get("credited")));
    }

    private static PaymentProof proof(BDictionary d) throws MalformedSpeedMessageException {
        if (!(d.get("proof") instanceof BDictionary proof)) {
            throw new MalformedSpeedMessageException("\"proof\" must be a dictionary");
        }
        String type = text(proof, "type", 32);
        return type.equals(PaymentProof.Trc20Transaction.TYPE)
                ? new PaymentProof.Trc20Transaction(bytes(proof, "txid", 32))
                : new PaymentProof.Unsupported(type);
    }

    static long integer(BDictionary d, String key, long min, long max) throws MalformedSpeedMessageException {
        if (!(d.get(key) instanceof BInteger i)) {
            throw new MalformedSpeedMessageException("\"" + key + "\" must be an integer");
        }
        if (i.value() < min || i.value() > max) {
            throw new MalformedSpeedMessageException("\"" + key + "\" must be between " + min + " and " + max + ", got " + i.value());
        }
        return i.value();
    }

    static byte[] bytes(BDictionary d, String key, int length) throws MalformedSpeedMessageException {
        if (!(d.get(key) instanceof BString s) || s.length() != length) {
            throw new MalformedSpeedMessageException("\"" + key + "\" must be a " + length + "-byte string");
        }
        return s.bytes();
    }

    static String text(BDictionary d, String key, int maxBytes) throws MalformedSpeedMessageException {
        if (!(d.get(key) instanceof BString s) || s.length() > maxBytes) {
            throw new MalformedSpeedMessageException("\"" + key + "\" must be a string of at most " + maxBytes + " bytes");
        }
        return s.utf8();
    }

    static TronAddress address(BDictionary d, String key) throws MalformedSpeedMessageException {
        String text = text(d, key, 34);
        try {
            return TronAddress.fromBase58(text);
        } catch (InvalidAddressException e) {
            throw new MalformedSpeedMessageException("\"" + key + "\" is not a TRON address: " + e.getMessage(), e);
        }
    }
}
