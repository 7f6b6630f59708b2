package dev.al4j.core.io;

/**
 * Thrown by {@link Npy} and {@link Idx} when a file's content is not a valid array file of a supported kind:
 * wrong magic number, malformed header, unsupported data type, absurd or overflowing dimensions, a file shorter
 * than its header declares (truncated), unexpected bytes after the data, or corrupt gzip data.
 *
 * <p>It extends {@link IllegalArgumentException} because the file is a bad argument, so callers that treat every bad
 * input alike need no extra catch; callers that want to tell a bad file apart catch this type. A real I/O failure
 * (missing file, permission denied, a failing disk) is an {@link java.io.IOException} instead. The message always
 * starts with the source (the path, or {@code "stream"}) and says what was expected and what was found.
 */
public final class MalformedArrayFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the source, what was expected and what was found. */
    public MalformedArrayFileException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the low-level cause (e.g. a {@code ZipException}). */
    public MalformedArrayFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
