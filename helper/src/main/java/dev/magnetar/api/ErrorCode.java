package dev.magnetar.api;

/**
 * The stable set of error codes the API answers with, each bound to its HTTP status. Clients branch on
 * {@code code}, never on the message (which is for people). Listed in protocol-spec/http-api.yaml.
 */
public enum ErrorCode {
    UNAUTHORIZED(401),
    FORBIDDEN_HOST(403),
    FORBIDDEN_ORIGIN(403),
    WRONG_PASSWORD(403),
    NOT_FOUND(404),
    TORRENT_NOT_FOUND(404),
    APPROVAL_NOT_FOUND(404),
    FILE_NOT_FOUND(404),
    STREAM_NOT_FOUND(404),
    NO_WALLET(404),
    METHOD_NOT_ALLOWED(405),
    INVALID_TRANSITION(409),
    WALLET_LOCKED(409),
    WALLET_EXISTS(409),
    FAUCET_UNAVAILABLE(409),
    METADATA_PENDING(409),
    NOTHING_TO_OPEN(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    RANGE_NOT_SATISFIABLE(416),
    MALFORMED_JSON(400),
    INVALID_REQUEST(400),
    INVALID_TORRENT(400),
    BOOST_CANNOT_BUY(422),
    NOT_A_MEDIA_FILE(422),
    INTERNAL(500),
    CHAIN_UNAVAILABLE(502),
    ENGINE_UNAVAILABLE(503),
    HELPER_STARTING(503),
    PIECE_NOT_READY(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
