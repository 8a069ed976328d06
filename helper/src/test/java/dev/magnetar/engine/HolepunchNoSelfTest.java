package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.portmap.PortMappingStatus;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wire.ExtensionHandshake;
import dev.magnetar.wire.HolepunchCodec;
import dev.magnetar.wire.HolepunchError;
import dev.magnetar.wire.HolepunchMessage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 55 NoSelf ("the endpoint belongs to the relaying peer") as peers outside name the relay: not at a
 * local address but at the router's public one, at the port the router mapped, or at the address peers
 * tell it is its own (BEP 10 {@code yourip}). A peer speaking the wire by hand asks our engine to
 * introduce it to the engine itself under each of these names.
 */
class HolepunchNoSelfTest {

    private static final int OUR_HOLEPUNCH_ID = 1;

    @TempDir
    Path root;

    @Test
    void aRendezvousNamingTheRelayAsPeersOutsideReachItIsAnsweredNoSelf() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "noself", 16 * 1024, 40_000);
        InetAddress told = InetAddress.getByName("203.0.113.7");
        int mapped = 41_000;
        try (Engine a = Engine.start(loopback(root, "a").toBuilder().utp(true).build())) {
            a.portMapping(new PortMappingStatus(PortMappingStatus.MAPPED, "pcp", "198.51.100.2", mapped, mapped, "10.0.0.1", null));
            a.add(info, content, List.of(), AddOptions.defaults());
            int listen = a.listenAddress().getPort();
            try (Socket s = new Socket("127.0.0.1", listen)) {
                s.setSoTimeout((int) GUARD.toMillis()); // hang guard only
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                out.writeByte(19);
                out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[] {0, 0, 0, 0, 0, 0x10, 0, 0}); // BEP 10
                out.write(info.infoHash().bytes());
                out.write("-XX0001-holepunchraw".getBytes(StandardCharsets.US_ASCII));
                send(out, ExtensionHandshake.builder().message(HolepunchMessage.EXTENSION_NAME, OUR_HOLEPUNCH_ID)
                        .yourIp(told).build().encode(), 0);
                in.readFully(new byte[68]);

                int theirs = awaitHandshake(in).idOf(HolepunchMessage.EXTENSION_NAME).orElseThrow();
                List<InetSocketAddress> names = List.of(
                        new InetSocketAddress("198.51.100.2", mapped), // the router's public address, its mapped port
                        new InetSocketAddress("198.51.100.2", listen), // ... the port it kept
                        new InetSocketAddress(told, listen)); // where a peer saw it (yourip)
                for (InetSocketAddress name : names) {
                    send(out, HolepunchCodec.encode(new HolepunchMessage.Rendezvous(name)), theirs);
                    assertEquals(new HolepunchMessage.Error(name, HolepunchError.NO_SELF), awaitHolepunch(in), "a rendezvous with " + name);
                }
                InetSocketAddress stranger = new InetSocketAddress("198.51.100.2", 50_000); // another host behind that router
                send(out, HolepunchCodec.encode(new HolepunchMessage.Rendezvous(stranger)), theirs);
                assertEquals(new HolepunchMessage.Error(stranger, HolepunchError.NOT_CONNECTED), awaitHolepunch(in));
            }
        }
    }

    private static void send(DataOutputStream out, byte[] payload, int extendedId) throws Exception {
        out.writeInt(2 + payload.length);
        out.writeByte(20); // BEP 10 extended
        out.writeByte(extendedId);
        out.write(payload);
        out.flush();
    }

    /** The payload of the next BEP 10 message under {@code extendedId}, skipping the others. */
    private static byte[] awaitExtended(DataInputStream in, int extendedId) throws Exception {
        while (true) {
            int length = in.readInt();
            if (length == 0) {
                continue;
            }
            byte[] message = new byte[length];
            in.readFully(message);
            if (message[0] == 20 && message[1] == extendedId) {
                return java.util.Arrays.copyOfRange(message, 2, message.length);
            }
        }
    }

    private static ExtensionHandshake awaitHandshake(DataInputStream in) throws Exception {
        return ExtensionHandshake.decode(awaitExtended(in, 0));
    }

    private static HolepunchMessage awaitHolepunch(DataInputStream in) throws Exception {
        return HolepunchCodec.decode(awaitExtended(in, OUR_HOLEPUNCH_ID));
    }
}
