package dev.magnetar.speed;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalLong;

/** The messages of the {@code mg_speed} BEP 10 extension (protocol-spec/speed-extension.md §4). */
public sealed interface SpeedMessage
        permits SpeedMessage.Bid, SpeedMessage.BidResult, SpeedMessage.ReceiptMessage, SpeedMessage.Payment, SpeedMessage.Error,
        SpeedMessage.PaymentAck {

    /** §4.0, payer → payee: the most it pays per GiB; rate 0 withdraws. */
    record Bid(BigInteger ratePerGiB, long sequence) implements SpeedMessage {
        public Bid {
            Objects.requireNonNull(ratePerGiB, "ratePerGiB");
            if (ratePerGiB.signum() < 0 || sequence < 1) {
                throw new IllegalArgumentException("a bid has a rate >= 0 and a sequence >= 1");
            }
        }

        public boolean withdrawn() {
            return ratePerGiB.signum() == 0;
        }
    }

    /** §4.1, payee → payer: from here on in the stream, paid at {@code pricePerGiB} (won) or free (lost). */
    record BidResult(boolean won, BigInteger pricePerGiB, long bidSequence, long round) implements SpeedMessage {
        public BidResult {
            Objects.requireNonNull(pricePerGiB, "pricePerGiB");
            if (pricePerGiB.signum() < 0 || bidSequence < 0 || round < 1) {
                throw new IllegalArgumentException("a bid result has price >= 0, bid sequence >= 0 and round >= 1");
            }
            if (!won && pricePerGiB.signum() != 0) {
                throw new IllegalArgumentException("a lost bid is charged nothing");
            }
        }

        public static BidResult lost(long bidSequence, long round) {
            return new BidResult(false, BigInteger.ZERO, bidSequence, round);
        }
    }

    /** §4.2, payer → payee. */
    record ReceiptMessage(SignedReceipt receipt) implements SpeedMessage {
        public ReceiptMessage {
            Objects.requireNonNull(receipt, "receipt");
        }
    }

    /** §4.3, payer → payee: "this proof pays you {@code amount}". */
    record Payment(PaymentProof proof, BigInteger amount) implements SpeedMessage {
        public Payment {
            Objects.requireNonNull(proof, "proof");
            Objects.requireNonNull(amount, "amount");
            if (amount.signum() <= 0) {
                throw new IllegalArgumentException("a payment notice claims a positive amount");
            }
        }
    }

    /** §4.4: informational; {@code code} is the wire number (a newer peer may send codes we do not know). */
    record Error(long code, String message, OptionalLong sequence) implements SpeedMessage {
        public static final int MAX_MESSAGE_BYTES = 256;

        public Error {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(sequence, "sequence");
            message = truncate(message);
        }

        public static Error of(SpeedErrorCode code, String message) {
            return new Error(code.code(), message, OptionalLong.empty());
        }

        /** Cuts at a character boundary so the UTF-8 form fits {@value #MAX_MESSAGE_BYTES} bytes. */
        private static String truncate(String s) {
            if (s.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES) {
                return s;
            }
            int end = s.length();
            while (s.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
                end = Character.isLowSurrogate(s.charAt(end - 1)) && end >= 2 ? end - 2 : end - 1;
            }
            return s.substring(0, end);
        }
    }

    /**
     * §4.5, payee → payer: what became of a payment notice. The payer sends a proof again only when the
     * payee says it does not hold it, or never answered (rule P7); never for one credited or rejected.
     *
     * @param code the §4.4 error code behind {@link Status#NOT_HELD} or {@link Status#REJECTED}, if any
     * @param creditedTotal everything the payee has credited from this payer for this torrent
     */
    record PaymentAck(PaymentProof proof, Status status, OptionalLong code, BigInteger creditedTotal) implements SpeedMessage {

        /** The {@code status} values of §4.5, each with its wire number. */
        public enum Status {
            /** Counted to this payer, now or before. */
            CREDITED(0),
            /** Held, waiting for the chain (C2, C7); the payer need not send it again. */
            PENDING(1),
            /** Not held (not found in time, too many pending, or lost): send it again once it is confirmed. */
            NOT_HELD(2),
            /** Never to be credited (C3–C6, a foreign transaction, an unknown proof type). */
            REJECTED(3);

            private final int wire;

            Status(int wire) {
                this.wire = wire;
            }

            public int wire() {
                return wire;
            }

            public static java.util.Optional<Status> ofWire(long wire) {
                for (Status s : values()) {
                    if (s.wire == wire) {
                        return java.util.Optional.of(s);
                    }
                }
                return java.util.Optional.empty();
            }
        }

        public PaymentAck {
            Objects.requireNonNull(proof, "proof");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(creditedTotal, "creditedTotal");
            if (creditedTotal.signum() < 0) {
                throw new IllegalArgumentException("a credited total is >= 0");
            }
        }

        public static PaymentAck of(PaymentProof proof, Status status, SpeedErrorCode code, BigInteger creditedTotal) {
            return new PaymentAck(proof, status, code == null ? OptionalLong.empty() : OptionalLong.of(code.code()), creditedTotal);
        }
    }
}
