package dev.al4j.metrics;

import dev.al4j.core.Checks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a report file atomically: the content goes to a hidden temporary file in the same directory, which is then
 * moved over the target, so a reader sees the old file or the new one, never half of one. The temporary file is
 * created like any other file (permissions from the process's umask, e.g. {@code rw-r--r--}), unlike
 * {@link Files#createTempFile}, whose {@code rw-------} would carry over to the report.
 */
final class AtomicFiles {

    /** Writes a file's content. */
    @FunctionalInterface
    interface Content {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code content} to {@code file} atomically, creating the parent directories.
     *
     * @throws IOException when the file cannot be written or moved
     */
    static void write(Path file, Content content) throws IOException {
        Checks.checkNotNull(file, "file");
        Checks.checkNotNull(content, "content");
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Only a unique name is needed here, not reproducibility, so the thread's generator will do.
        Path tmp = parent.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
                .nextLong()) + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.write(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
