package dev.magnetar.wire;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BInteger;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.bencode.BencodeException;
import dev.magnetar.bencode.BencodeLimits;
import dev.magnetar.wire.PeerProtocolException.Violation;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The BEP 10 extension handshake: the bencoded dictionary sent as extended message 0 right after the
 * BEP 3 handshake when both sides set the extension bit.
 *
 * <p>Decoding is tolerant the way deployed clients are: unknown keys are kept in {@link #other()} (so
 * later features — ut_metadata, ut_pex, the speed extension — can read their own keys), and a known key
 * with a value of the wrong type or range is treated as absent. It is strict only where nothing
 * sensible can be read: the payload must be a bencoded dictionary within {@link BencodeLimits#NETWORK},
 * and {@code m}, when present, must be a dictionary.
 *
 * @param messages {@code m}: extension name → the message id the <em>sender</em> wants to receive it
 *     under; id 0 means the sender disabled that extension (BEP 10)
 * @param client {@code v}: client name and version, UTF-8
 * @param listenPort {@code p}: the sender's TCP listen port
 * @param reqq {@code reqq}: how many outstanding requests the sender keeps without dropping
 *     (libtorrent's default is 250)
 * @param yourIp {@code yourip}: our address as the sender sees it (4 or 16 bytes on the wire)
 * @param metadataSize {@code metadata_size} (BEP 9): size of the info dictionary in bytes
 * @param other every other entry, raw
 */
public record ExtensionHandshake(
        Map<String, Integer> messages,
        Optional<String> client,
        OptionalInt listenPort,
        OptionalInt reqq,
        Optional<InetAddress> yourIp,
        OptionalLong metadataSize,
        Map<String, BValue> other) {

    private static final Set<String> KNOWN_KEYS = Set.of("m", "v", "p", "reqq", "yourip", "metadata_size");

    public ExtensionHandshake {
        messages = Collections.unmodifiableMap(new LinkedHashMap<>(messages));
        for (Map.Entry<String, Integer> e : messages.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 0xFF) {
                throw new IllegalArgumentException("extension " + e.getKey() + " needs an id in 0..255");
            }
        }
        Objects.requireNonNull(client);
        Objects.requireNonNull(listenPort);
        Objects.requireNonNull(reqq);
        Objects.requireNonNull(yourIp);
        Objects.requireNonNull(metadataSize);
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
        for (String key : other.keySet()) {
            if (KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("\"" + key + "\" has its own field; do not put it in other");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The id under which the sender wants to receive {@code extension}, if it enabled it. */
    public OptionalInt idOf(String extension) {
        Integer id = messages.get(extension);
        return id == null || id == 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * BEP 10's {@code ipv6}: the sender's own IPv6 address (16 bytes), which it may be dialled back on,
     * with its {@code p}. Kept in {@link #other()}; anything but 16 bytes of a real IPv6 address
     * (an IPv4-mapped one, say) is treated as absent, like any known key of the wrong kind.
     */
    public Optional<Inet6Address> ipv6() {
        if (other.get(IPV6_KEY) instanceof BString s && s.length() == 16) {
            try {
                return InetAddress.getByAddress(s.bytes()) instanceof Inet6Address v6 ? Optional.of(v6) : Optional.empty();
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible); // only thrown for other lengths
            }
        }
        return Optional.empty();
    }

    private static final String IPV6_KEY = "ipv6";

    /** The canonical bencoded form (keys sorted, as BEP 3 requires of every dictionary). */
    public byte[] encode() {
        BDictionary.Builder m = BDictionary.builder();
        messages.forEach((name, id) -> m.put(name, id.longValue()));
        BDictionary.Builder d = BDictionary.builder().put("m", m.build());
        client.ifPresent(v -> d.put("v", v));
        listenPort.ifPresent(p -> d.put("p", p));
        reqq.ifPresent(r -> d.put("reqq", r));
        yourIp.ifPresent(ip -> d.put("yourip", ip.getAddress()));
        metadataSize.ifPresent(s -> d.put("metadata_size", s));
        other.forEach(d::put);
        return BencodeEncoder.encode(d.build());
    }

    /** This handshake as the extended message it travels in (extended id 0). */
    public PeerMessage.Extended toMessage() {
        return new PeerMessage.Extended(PeerMessage.Extended.HANDSHAKE_ID, encode());
    }

    /**
     * Reads an extension handshake payload.
     *
     * @throws PeerProtocolException {@link Violation#BAD_EXTENSION_HANDSHAKE} if it is not a bencoded
     *     dictionary within the network limits, or its {@code m} is not a dictionary
     */
    public static ExtensionHandshake decode(byte[] payload) throws PeerProtocolException {
        BValue value;
        try {
            value = BencodeDecoder.decode(payload, BencodeLimits.NETWORK);
        } catch (BencodeException e) {
            throw new PeerProtocolException(Violation.BAD_EXTENSION_HANDSHAKE, "not valid bencode: " + e.getMessage(), e);
        }
        if (!(value instanceof BDictionary d)) {
            throw new PeerProtocolException(Violation.BAD_EXTENSION_HANDSHAKE,
                    "expected a dictionary, got a " + value.kind());
        }
        Builder b = builder();
        BValue m = d.get("m");
        if (m != null) {
            if (!(m instanceof BDictionary md)) {
                throw new PeerProtocolException(Violation.BAD_EXTENSION_HANDSHAKE, "\"m\" is a " + m.kind() + ", not a dictionary");
            }
            for (Map.Entry<BString, BValue> e : md.entries().entrySet()) {
                // BEP 10 ids travel in one byte; anything else cannot be used, so it is skipped.
                if (e.getValue() instanceof BInteger id && id.value() >= 0 && id.value() <= 0xFF) {
                    b.message(e.getKey().utf8(), (int) id.value());
                }
            }
        }
        if (d.get("v") instanceof BString v) {
            b.client(v.utf8());
        }
        if (d.get("p") instanceof BInteger p && p.value() >= 1 && p.value() <= 0xFFFF) {
            b.listenPort((int) p.value());
        }
        if (d.get("reqq") instanceof BInteger r && r.value() >= 1 && r.value() <= Integer.MAX_VALUE) {
            b.reqq((int) r.value());
        }
        if (d.get("yourip") instanceof BString ip && (ip.length() == 4 || ip.length() == 16)) {
            try {
                b.yourIp(InetAddress.getByAddress(ip.bytes())); // no lookup: a raw address
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible); // only thrown for other lengths
            }
        }
        if (d.get("metadata_size") instanceof BInteger s && s.value() >= 0) {
            b.metadataSize(s.value());
        }
        for (Map.Entry<BString, BValue> e : d.entries().entrySet()) {
            String key = e.getKey().utf8();
            if (!KNOWN_KEYS.contains(key)) {
                b.other(key, e.getValue());
            }
        }
        return b.build();
    }

    /** Builds a handshake; unset fields are absent. */
    public static final class Builder {
        private final Map<String, Integer> messages = new LinkedHashMap<>();
        private Optional<String> client = Optional.empty();
        private OptionalInt listenPort = OptionalInt.empty();
        private OptionalInt reqq = OptionalInt.empty();
        private Optional<InetAddress> yourIp = Optional.empty();
        private OptionalLong metadataSize = OptionalLong.empty();
        private final Map<String, BValue> other = new LinkedHashMap<>();

        public Builder message(String extension, int id) {
            messages.put(extension, id);
            return this;
        }

        public Builder client(String v) {
            client = Optional.of(v);
            return this;
        }

        public Builder listenPort(int p) {
            listenPort = OptionalInt.of(p);
            return this;
        }

        public Builder reqq(int r) {
            reqq = OptionalInt.of(r);
            return this;
        }

        public Builder yourIp(InetAddress ip) {
            yourIp = Optional.of(ip);
            return this;
        }

        public Builder metadataSize(long bytes) {
            metadataSize = OptionalLong.of(bytes);
            return this;
        }

        /** BEP 10's {@code ipv6}: our own IPv6 address, for a peer that reached us over IPv4. */
        public Builder ipv6(Inet6Address ours) {
            return other(IPV6_KEY, BString.of(ours.getAddress()));
        }

        public Builder other(String key, BValue value) {
            other.put(key, value);
            return this;
        }

        public ExtensionHandshake build() {
            return new ExtensionHandshake(messages, client, listenPort, reqq, yourIp, metadataSize, other);
        }
    }
}
