package dev.magnetar.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HolepunchRelayTest {

    private static final InetSocketAddress INITIATOR = new InetSocketAddress("203.0.113.10", 40000);
    private static final InetSocketAddress TARGET = new InetSocketAddress("198.51.100.20", 50000);
    private static final List<InetSocketAddress> SELF = List.of(new InetSocketAddress("192.0.2.1", 6881));

    private static List<HolepunchRelay.Send> answer(InetSocketAddress target, HolepunchRelay.TargetState state) {
        return HolepunchRelay.answer(INITIATOR, new HolepunchMessage.Rendezvous(target), SELF::contains, state);
    }

    @Test
    void aReachableTargetAndTheInitiatorAreEachToldToDialTheOther() {
        assertEquals(List.of(new HolepunchRelay.Send(INITIATOR, new HolepunchMessage.Connect(TARGET)),
                new HolepunchRelay.Send(TARGET, new HolepunchMessage.Connect(INITIATOR))),
                answer(TARGET, HolepunchRelay.TargetState.CONNECTED_WITH_HOLEPUNCH));
    }

    @Test
    void aTargetWeAreNotConnectedToIsNotConnected() {
        assertEquals(List.of(new HolepunchRelay.Send(INITIATOR, new HolepunchMessage.Error(TARGET, HolepunchError.NOT_CONNECTED))),
                answer(TARGET, HolepunchRelay.TargetState.NOT_CONNECTED));
    }

    @Test
    void aTargetWithoutTheExtensionIsNoSupport() {
        assertEquals(HolepunchError.NO_SUPPORT,
                ((HolepunchMessage.Error) answer(TARGET, HolepunchRelay.TargetState.CONNECTED_WITHOUT_HOLEPUNCH).get(0).message()).error());
    }

    @Test
    void aRendezvousWithTheRelayItselfIsNoSelf() {
        assertEquals(HolepunchError.NO_SELF,
                ((HolepunchMessage.Error) answer(SELF.get(0), HolepunchRelay.TargetState.CONNECTED_WITH_HOLEPUNCH).get(0).message()).error());
    }

    @Test
    void endpointsNoPeerCanBeDialledAtAreNoSuchPeer() {
        for (InetSocketAddress bad : List.of(new InetSocketAddress("198.51.100.20", 0), new InetSocketAddress("0.0.0.0", 6881),
                new InetSocketAddress("239.1.2.3", 6881), INITIATOR)) {
            List<HolepunchRelay.Send> sends = answer(bad, HolepunchRelay.TargetState.CONNECTED_WITH_HOLEPUNCH);
            assertEquals(1, sends.size(), bad.toString());
            assertEquals(INITIATOR, sends.get(0).to(), "only the initiator hears of it");
            assertEquals(HolepunchError.NO_SUCH_PEER, ((HolepunchMessage.Error) sends.get(0).message()).error(), bad.toString());
        }
    }
}
