package dev.al4j.core;

/** A labelling call failed (a person cancelled, a service was unreachable, an answer file was unreadable). */
public class OracleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With a message. */
    public OracleException(String message) {
        super(message);
    }

    /** With a message and its cause. */
    public OracleException(String message, Throwable cause) {
        super(message, cause);
    }
}
