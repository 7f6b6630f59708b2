package dev.al4j.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor: how fast this machine streams a float32 matrix, measured with the unit of work of the batch strategies,
 * one pass computing the squared distance {@code ‖x_i − c‖²} from every row of an {@code rows × cols} matrix to one
 * vector (k-center's update, BADGE's D² update). Two sizes: 1 000 000 × 512 (2.05 GB, from memory) and
 * 10 000 × 512 (20 MB, mostly in the last-level cache). {@code ResultsToMarkdown} turns the times into bandwidth,
 * {@code rows·cols·4 bytes / time}, and the batch strategies' floors {@code b·N·(d + K)·4 bytes / bandwidth}.
 *
 * <p>The pass is plain Java on a heap {@code float[]} with eight independent accumulators per row (the JIT does
 * not vectorise float reductions, and eight chains keep the adders busy), split over all cores
 * ({@link #allCores()}) or on one ({@link #oneCore()}). From memory it is bandwidth-bound; in cache it may be bound
 * by the scalar arithmetic instead, so the in-cache figure is a conservative floor (FACTS.md measured 0.16 ms for
 * 10 000 × 512 with vectorised C, about 130 GB/s).
 *
 * <pre>{@code
 * benchmarks/run.sh MemoryBandwidthBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MemoryBandwidthBenchmark {

    @Param({"10000", "1000000"})
    public int rows;

    @Param("512")
    public int cols;

    float[] matrix;
    float[] centre;
    float[] out;

    /** Fills the matrix once per trial (values in [0, 1), a cheap hash of the index). */
    @Setup(Level.Trial)
    public void setUp() {
        matrix = new float[Math.multiplyExact(rows, cols)];
        IntStream.range(0, rows).parallel().forEach(r -> {
            long base = (long) r * cols;
            for (int j = 0; j < cols; j++) {
                long h = (base + j) * 0x9E3779B97F4A7C15L;
                matrix[(int) (base + j)] = (h >>> 40) * 0x1.0p-24f;
            }
        });
        centre = new float[cols];
        for (int j = 0; j < cols; j++) {
            centre[j] = 0.5f;
        }
        out = new float[rows];
    }

    /** One pass on all cores; returns the distances (the array is reused, so nothing is allocated). */
    @Benchmark
    public float[] allCores() {
        int parts = Runtime.getRuntime().availableProcessors();
        IntStream.range(0, parts).parallel().forEach(p -> {
            int from = (int) ((long) rows * p / parts);
            int to = (int) ((long) rows * (p + 1) / parts);
            squaredDistances(matrix, cols, centre, from, to, out);
        });
        return out;
    }

    /** One pass on the calling thread. */
    @Benchmark
    public float[] oneCore() {
        squaredDistances(matrix, cols, centre, 0, rows, out);
        return out;
    }

    /** {@code out[i] = ‖x_i − c‖²} for rows {@code [from, to)} of the row-major {@code x}. */
    static void squaredDistances(float[] x, int cols, float[] c, int from, int to, float[] out) {
        int blocked = cols & ~7;
        for (int i = from; i < to; i++) {
            int row = i * cols;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float s4 = 0;
            float s5 = 0;
            float s6 = 0;
            float s7 = 0;
            int j = 0;
            for (; j < blocked; j += 8) {
                float d0 = x[row + j] - c[j];
                float d1 = x[row + j + 1] - c[j + 1];
                float d2 = x[row + j + 2] - c[j + 2];
                float d3 = x[row + j + 3] - c[j + 3];
                float d4 = x[row + j + 4] - c[j + 4];
                float d5 = x[row + j + 5] - c[j + 5];
                float d6 = x[row + j + 6] - c[j + 6];
                float d7 = x[row + j + 7] - c[j + 7];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
                s4 += d4 * d4;
                s5 += d5 * d5;
                s6 += d6 * d6;
                s7 += d7 * d7;
            }
            float s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
            for (; j < cols; j++) {
                float d = x[row + j] - c[j];
                s += d * d;
            }
            out[i] = s;
        }
    }
}
