package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Stands in for the engine's connection in unit tests: records what the handlers send to it. */
final class FakeExtensionPeer implements ExtensionPeer {

    record Sent(int remoteId, byte[] payload) {}

    private final InetSocketAddress address;
    private final Map<String, Integer> remoteIds = new HashMap<>();
    private final List<Sent> sent = new ArrayList<>();
    final List<String> misbehaviour = new ArrayList<>();

    FakeExtensionPeer(String host, int port) {
        this.address = new InetSocketAddress(host, port);
    }

    FakeExtensionPeer offering(String extension, int id) {
        remoteIds.put(extension, id);
        return this;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public OptionalInt remoteId(String extension) {
        Integer id = remoteIds.get(extension);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public synchronized void sendExtended(int remoteExtendedId, byte[] payload) {
        sent.add(new Sent(remoteExtendedId, payload));
    }

    @Override
    public synchronized void misbehaved(String reason) {
        misbehaviour.add(reason);
    }

    /** Everything sent since the last call. */
    synchronized List<Sent> takeSent() {
        List<Sent> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    /** The ut_metadata messages sent since the last call, decoded. */
    List<UtMetadataMessage> takeMetadataMessages() throws UtMetadataException {
        List<UtMetadataMessage> out = new ArrayList<>();
        for (Sent s : takeSent()) {
            out.add(UtMetadataCodec.decode(s.payload()));
        }
        return out;
    }

    @Override
    public String toString() {
        return "FakeExtensionPeer[" + address + "]";
    }
}
