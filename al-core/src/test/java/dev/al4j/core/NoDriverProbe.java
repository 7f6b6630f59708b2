package dev.al4j.core;

import java.nio.file.Path;

/** Run by {@link LabelStoreTest} in a JVM without the SQLite driver: prints what {@code LabelStore.sqlite} throws. */
public final class NoDriverProbe {

    private NoDriverProbe() {}

    public static void main(String[] args) {
        try {
            LabelStore.sqlite(Path.of(args[0])).close();
            System.out.println("OPENED");
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
