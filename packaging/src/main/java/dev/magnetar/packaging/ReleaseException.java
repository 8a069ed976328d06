package dev.magnetar.packaging;

/** A release step failed; the message names the step and what the tool said. */
public final class ReleaseException extends Exception {

    private static final long serialVersionUID = 1L;

    public ReleaseException(ReleaseStep step, String message, Throwable cause) {
        super("release step failed: " + step.describe() + "\n  " + message, cause);
    }

    public ReleaseException(String message) {
        super(message);
    }
}
