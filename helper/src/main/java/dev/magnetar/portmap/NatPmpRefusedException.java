package dev.magnetar.portmap;

/** A NAT-PMP or PCP gateway answered with a non-zero result code: it understood us and said no. */
public final class NatPmpRefusedException extends MappingRefusedException {

    private final int resultCode;

    public NatPmpRefusedException(int resultCode) {
        super("the gateway refused the mapping: " + describe(resultCode));
        this.resultCode = resultCode;
    }

    public int resultCode() {
        return resultCode;
    }

    /** RFC 6886 §3.5 names codes 1–5; PCP (RFC 6887 §7.4) reuses 1–2 and adds more, given here by number. */
    static String describe(int code) {
        return switch (code) {
            case 1 -> "unsupported version (1)";
            case 2 -> "not authorized (2): mapping is switched off on the router";
            case 3 -> "network failure (3): the router has no external address yet";
            case 4 -> "out of resources (4)";
            case 5 -> "unsupported opcode (5)";
            default -> "result code " + code;
        };
    }
}
