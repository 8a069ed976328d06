package dev.magnetar.wire;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A BEP 55 {@code ut_holepunch} message. Every one names an endpoint: the target a rendezvous asks the
 * relay to introduce us to, the peer a connect tells us to dial over uTP, the target an error is about.
 */
public sealed interface HolepunchMessage {

    /** The name in the BEP 10 handshake's {@code m} dictionary. */
    String EXTENSION_NAME = "ut_holepunch";

    InetSocketAddress endpoint();

    /** Initiator → relay: send connect messages to both of us (BEP 55 msg_type 0x00). */
    record Rendezvous(InetSocketAddress endpoint) implements HolepunchMessage {
        public Rendezvous {
            HolepunchCodec.requireResolved(endpoint);
        }
    }

    /** Relay → initiator and target: dial this endpoint over uTP now (0x01). */
    record Connect(InetSocketAddress endpoint) implements HolepunchMessage {
        public Connect {
            HolepunchCodec.requireResolved(endpoint);
        }
    }

    /** Relay → initiator: the rendezvous with {@code endpoint} cannot happen (0x02). */
    record Error(InetSocketAddress endpoint, HolepunchError error) implements HolepunchMessage {
        public Error {
            HolepunchCodec.requireResolved(endpoint);
            Objects.requireNonNull(error, "error");
        }
    }
}
