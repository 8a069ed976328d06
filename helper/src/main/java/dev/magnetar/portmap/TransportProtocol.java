package dev.magnetar.portmap;

/**
 * The two transports a BitTorrent client listens on with one port number: TCP for peers, UDP for uTP
 * (BEP 29) and the DHT (BEP 5). Each names itself the way each mapping protocol does.
 */
public enum TransportProtocol {
    TCP(2, 6, "TCP"),
    UDP(1, 17, "UDP");

    /** RFC 6886 §3.3: opcode 1 maps UDP, 2 maps TCP. */
    final int natPmpOpcode;
    /** RFC 6887 §11.1: the IANA protocol number. */
    final int ianaNumber;
    /** UPnP IGD's NewProtocol argument. */
    final String upnpName;

    TransportProtocol(int natPmpOpcode, int ianaNumber, String upnpName) {
        this.natPmpOpcode = natPmpOpcode;
        this.ianaNumber = ianaNumber;
        this.upnpName = upnpName;
    }
}
