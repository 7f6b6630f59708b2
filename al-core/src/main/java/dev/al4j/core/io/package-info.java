/**
 * Readers and writers for array files: NumPy {@code .npy} ({@link dev.al4j.core.io.Npy}) and IDX, the format of
 * MNIST and Fashion-MNIST ({@link dev.al4j.core.io.Idx}).
 *
 * <p>Both readers accept plain or gzip-compressed files, told apart by their first bytes and never by the file
 * name. They are hardened against hostile files: every declared size is checked (overflow included) before
 * anything is allocated, against the file length when it is known, and a gzip stream is read into buffers that
 * grow only as data actually arrives. A file that is not valid fails with
 * {@link dev.al4j.core.io.MalformedArrayFileException} (an {@code IllegalArgumentException}) whose message names the
 * source and the problem; {@link java.io.IOException} is kept for real I/O failures. A fuzz test with jqwik applies
 * random mutations to valid files and checks that nothing else escapes.
 *
 * <p>Limits: at most 32 dimensions (ND4J's maximum rank), at most {@code Integer.MAX_VALUE - 8} elements per array
 * (one Java array is filled before the {@code INDArray} is built), and at most 2 147 483 639 for any single
 * dimension.
 */
package dev.al4j.core.io;
