package dev.al4j.examples.cli;

import dev.al4j.core.Checks;
import dev.al4j.core.io.MalformedArrayFileException;
import dev.al4j.core.io.Npy;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Reads the command line's {@code .npy} arguments. Every failure is an {@link IllegalArgumentException} whose
 * one-line message starts with the option and the file ({@code --probs p.npy: ...}), so the commands can report it
 * as bad input (exit code 2) without a stack trace.
 */
final class ArrayFiles {

    private ArrayFiles() {}

    /**
     * A float32 or float64 array of the given rank (any rank when negative), without NaN or infinity.
     *
     * @param option the option naming the file, e.g. {@code --probs}
     * @param shapeName how the expected shape reads, e.g. {@code [N, K]}
     */
    static INDArray readReal(String option, Path file, int rank, String shapeName) {
        INDArray array;
        try {
            requireRegularFile(file);
            array = Npy.read(file);
        } catch (IOException e) {
            throw unreadable(option, file, e);
        } catch (MalformedArrayFileException e) {
            throw new IllegalArgumentException(option + ": " + oneLine(e.getMessage()), e);
        }
        if (array.dataType() != DataType.FLOAT && array.dataType() != DataType.DOUBLE) {
            throw bad(option, file, "expected float32 or float64 values, found %s", array.dataType());
        }
        if (rank >= 0 && array.rank() != rank) {
            throw bad(option, file, "expected shape %s, found %s", shapeName, Arrays.toString(array.shape()));
        }
        // One native reduction first: NaN and infinity propagate into the sum, so a finite sum proves every value
        // finite; only a non-finite sum (or a finite overflow to infinity) needs the exact, slower checks.
        if (array.length() > 0 && !Double.isFinite(array.sumNumber().doubleValue())) {
            if (BooleanIndexing.or(array, Conditions.isNan())) {
                throw bad(option, file, "contains NaN");
            }
            if (BooleanIndexing.or(array, Conditions.isInfinite())) {
                throw bad(option, file, "contains infinity");
            }
        }
        return array;
    }

    /** A 1-D integer array (int8 to int64) as {@code int[]}. */
    static int[] readInts(String option, Path file) {
        try {
            requireRegularFile(file);
            return Npy.readInts(file);
        } catch (IOException e) {
            throw unreadable(option, file, e);
        } catch (MalformedArrayFileException e) {
            throw new IllegalArgumentException(option + ": " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * Checks a probability array (reshaped to {@code [rows, K]}): entries in {@code [0, 1]}, rows summing to 1. The
     * message adds a hint, since the usual mistake is to pass logits.
     */
    static void checkProbabilities(String option, Path file, INDArray rows) {
        try {
            Checks.checkProbabilities(rows, -1, -1, option + " " + file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(oneLine(e.getMessage()) + " (softmax outputs are expected, not logits)",
                    e);
        }
    }

    /** An error about the content of a file: {@code --option file: reason}. */
    static IllegalArgumentException bad(String option, Path file, String format, Object... args) {
        return new IllegalArgumentException(option + " " + file + ": " + String.format(Locale.ROOT, format, args));
    }

    private static void requireRegularFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("is a directory, not a .npy file");
        }
    }

    private static IllegalArgumentException unreadable(String option, Path file, IOException e) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "no such file";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new IllegalArgumentException(option + " " + file + ": cannot read the file: " + oneLine(reason), e);
    }

    /** The text on one line: line breaks become spaces. */
    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
