package dev.al4j.strategies;

import dev.al4j.core.Checks;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An approximate entropy of every row, one vector per row, for {@link ScreenedTopK}'s screen: within {@link #bound}
 * of {@link UncertaintyScores#entropy}'s value, so that the screen then computes {@link Math#log} only for the rows
 * that can still be in the top {@code b}. For a row {@code x} of {@code K <=} {@link #LANES} floats with sum
 * {@code s}, the entropy of {@code x/s} is {@code log s − (Σ_c x_c log x_c)/s}: the vector computes the products
 * {@code x_c·log x_c} with the Vector API's lane-wise logarithm (on x86 an intrinsic of the JDK's vector math
 * library), and its lane sums give {@code Σ x_c log x_c} and {@code s} in float; {@code log s} is a cubic in {@code s − 1}, since {@code s} is within the row-sum tolerance of 1.
 * Loaded only when {@link dev.al4j.strategies.internal.Simd#ENABLED} (it names {@code jdk.incubator.vector} types).
 *
 * <p>Only rows that a model has checked ({@code QueryOutputs.InPlaceRows#checked}: entries in {@code [0, 1 + tol]},
 * sums within {@code tol} of 1) come here; the bound relies on it.
 *
 * <p>Cost: {@code O(n)} vector operations, one logarithm vector per row: at {@code n = 10⁴, K = 10} the whole screen
 * costs less than the grouped bound and probe of {@link UncertaintyBounds} that it replaces there.
 */
final class EntropyScreenSimd {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = SPECIES.length();

    /**
     * The relative error assumed of the lane-wise logarithm: {@code 2⁻²⁰}, sixteen float ulps. The Vector API
     * specifies {@link Math#log}'s accuracy (1 ulp of the double result) and then the narrowing to float (half a float
     * ulp, {@code 2⁻²⁴} relative), so this is a margin of about thirty; {@code EntropyScreenSimdTest} measures the
     * logarithm of this JVM over dense samples of {@code (0, 1 + tol]}.
     */
    static final double LOG_ERROR = 0x1p-20;

    private EntropyScreenSimd() {}

    /** Whether a row of {@code k} floats fits one vector, on hardware with vectors of at least 8 floats. */
    static boolean fits(int k) {
        return LANES >= 8 && k >= 1 && k <= LANES;
    }

    /**
     * A bound on {@code |approximate − exact|} for a checked row of {@code k} classes. With {@code u = 2⁻²⁴},
     * {@code tol} the row-sum tolerance, {@code B = (1 + tol)·log K + 1} a bound on {@code Σ x_c |log x_c|} over such
     * a row: the float products and lane sum of {@code T = Σ x_c log x_c} are within {@code (LOG_ERROR + (K + 2)u)·B}
     * of it, the lane sum {@code S} within {@code (K + 2)u·(1 + tol)} of {@code s}; {@code log s − T/s} moves by at
     * most {@code (1 + B/s)/s} per unit of {@code s} and by {@code 1/s} per unit of {@code T}, {@code s >= 1 − tol};
     * the cubic's error on {@code log S}, {@code e⁴/(4(1 − e))} for {@code |S − 1| <= e = 2·tol}; and {@code 10⁻¹²}
     * for the double arithmetic here and in the exact score. Clamping both at 0 keeps the bound.
     */
    static double bound(int k) {
        double tol = Checks.ROW_SUM_TOLERANCE;
        double u = 0x1p-24;
        double smallest = 1 - tol;
        double b = (1 + tol) * Math.log(k) + 1;
        double products = (LOG_ERROR + (k + 2) * u) * b;
        double sum = (k + 2) * u * (1 + tol);
        double e = 2 * tol;
        return products / smallest + sum * (1 + b / smallest) / smallest + e * e * e * e / (4 * (1 - e)) + 1e-12;
    }

    /**
     * The warm-up of this kernel's gate: {@link #entropy} on made-up rows (both paths: a span of the table and rows far
     * apart), 600 rounds: C2 had compiled it after about 100 (the first round, interpreted, took 1.2 s, the hundredth
     * 47 µs, measured here), so the margin covers a slower compiler on a busier machine.
     */
    static void warmUp() {
        int k = 10;
        int n = 1024;
        float[] p = WarmUpRows.probabilities(n, k, 1);
        int[] even = new int[n / 2];
        int[] far = new int[n / 8];
        java.util.Arrays.setAll(even, j -> 2 * j);
        java.util.Arrays.setAll(far, j -> 8 * j);
        double[] out = new double[n];
        for (int round = 0; round < 600; round++) {
            entropy(p, 0, null, k, 0, n, out);
            entropy(p, 0, even, k, 0, even.length, out);
            entropy(p, 0, far, k, 0, far.length, out);
        }
    }

    /** Rows per block of {@link #entropy}: a block's rows are read through one span of the table when close. */
    private static final int BLOCK = 256;

    /**
     * Rows {@code from} to {@code to} (row {@code i} at {@code base + (ids == null ? i : ids[i])·k} of {@code p}),
     * checked rows of {@code k <=} {@link #LANES} classes: {@code out[i]} within {@link #bound} of the row's entropy.
     * Per block of {@link #BLOCK} rows: when the block's rows lie in a span of the table at most twice as long (the
     * candidates of a pool: every row but the labeled ones), the products {@code x·log x} of the whole span are
     * computed a vector at a time into a scratch array, whatever row each lane belongs to, and each row then adds its
     * {@code K} products and entries in scalar code (JDK 17's lane sum costs more than a logarithm vector); other
     * blocks load one vector per row.
     */
    static void entropy(float[] p, int base, int[] ids, int k, int from, int to, double[] out) {
        float[] products = new float[2 * BLOCK * k + LANES];
        double[] scratch = new double[k];
        for (int i0 = from; i0 < to; i0 += BLOCK) {
            int i1 = Math.min(to, i0 + BLOCK);
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            for (int i = i0; i < i1; i++) {
                int row = ids == null ? i : ids[i];
                lo = Math.min(lo, row);
                hi = Math.max(hi, row);
            }
            if ((long) hi - lo + 1 > 2L * BLOCK) {
                rowByRow(p, base, ids, k, i0, i1, out, scratch);
                continue;
            }
            int first = base + lo * k;
            productsOfSpan(p, first, (hi - lo + 1) * k, products);
            for (int i = i0; i < i1; i++) {
                int row = ids == null ? i : ids[i];
                int at = (row - lo) * k;
                int src = base + row * k;
                // Two chains per sum: the row's additions are latency, not work (twice as fast as one chain).
                float t0 = 0;
                float t1 = 0;
                float s0 = 0;
                float s1 = 0;
                int c = 0;
                for (; c + 1 < k; c += 2) {
                    t0 += products[at + c];
                    t1 += products[at + c + 1];
                    s0 += p[src + c];
                    s1 += p[src + c + 1];
                }
                if (c < k) {
                    t0 += products[at + c];
                    s0 += p[src + c];
                }
                out[i] = entropy((double) t0 + t1, (double) s0 + s1);
            }
        }
    }

    /** {@code out[j] = x·log x} (0 for {@code x <= 0}) for the {@code length} floats of {@code p} from {@code first}. */
    private static void productsOfSpan(float[] p, int first, int length, float[] out) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int j = 0;
        for (; j + LANES <= length; j += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, p, first + j);
            // log x on the positive entries, log 1 = 0 elsewhere, so that 0·log 0 counts 0.
            FloatVector logs = one.blend(x, x.compare(VectorOperators.GT, zero)).lanewise(VectorOperators.LOG);
            x.mul(logs).intoArray(out, j);
        }
        for (; j < length; j++) {
            float x = p[first + j];
            out[j] = x > 0 ? x * (float) Math.log(x) : 0f;
        }
    }

    /** {@link #entropy} for rows far apart in the table: one vector per row, two lane sums. */
    private static void rowByRow(float[] p, int base, int[] ids, int k, int from, int to, double[] out,
            double[] scratch) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        VectorMask<Float> row = SPECIES.indexInRange(0, k);
        int lastFull = p.length - LANES; // a vector at `at` reads at + LANES - 1 at most
        for (int i = from; i < to; i++) {
            int at = base + (ids == null ? i : ids[i]) * k;
            if (at > lastFull) {
                UncertaintyScores.loadNormalised(p, at, k, scratch, 0);
                out[i] = UncertaintyScores.rowEntropy(scratch, 0, k);
                continue;
            }
            FloatVector x = zero.blend(FloatVector.fromArray(SPECIES, p, at), row); // the next row's lanes: 0
            FloatVector logs = one.blend(x, x.compare(VectorOperators.GT, zero)).lanewise(VectorOperators.LOG);
            out[i] = entropy(x.mul(logs).reduceLanes(VectorOperators.ADD), x.reduceLanes(VectorOperators.ADD));
        }
    }

    /**
     * {@code max(0, log s − t/s)} for a checked row's {@code t = Σ x log x} and {@code s = Σ x}: {@code log s} as
     * {@code e − e²/2 + e³/3} with {@code e = s − 1} (exact in double), within {@code e⁴/(4(1 − |e|))} since
     * {@code |e|} is at most about the row-sum tolerance (see {@link #bound}).
     */
    private static double entropy(double t, double s) {
        double e = s - 1;
        return Math.max(0.0, e * (1 - e * (0.5 - e * (1.0 / 3))) - t / s);
    }
}
