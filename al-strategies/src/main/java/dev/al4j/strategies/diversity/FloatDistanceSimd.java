package dev.al4j.strategies.diversity;

import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link LloydKMeans#floatSquaredDistance}: {@code Σ_j (row[j] − c_j)²} in float, four vector
 * accumulators of {@link #LANES} partial sums each (fused multiply-adds), then the lanes pairwise, then the scalar tail. Not the
 * scalar kernel's bits: like it, a screen whose value is within {@link PivotGroups#roundingBound} of the exact sum,
 * because that bound holds for a sum of {@code d} non-negative rounded terms added in any order, and a fused
 * multiply-add only drops the rounding of the product ({@code KMeansSamplingTest.simdFloatDistanceIsWithinTheRoundingBound}
 * checks it against the exact value, and the reassignment tests run both kernels). Loaded only when
 * {@link dev.al4j.strategies.internal.Simd#ENABLED} (it names {@code jdk.incubator.vector} types).
 *
 * <p>Why: the scalar twin is a float reduction that C2 does not vectorise; a row-by-row distance is what k-means'
 * bounds leave to compute (2 % of the {@code N·k} distances per iteration on the SCAL data), and it was 56 % of a
 * query's CPU samples at N = 10⁵ (JFR, 2026-12-08).
 */
final class FloatDistanceSimd {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = SPECIES.length();

    /** Floats in the widest vector the Vector API has (2048 bits): scratch of this size fits every species. */
    static final int MAX_LANES = 64;

    private FloatDistanceSimd() {}

    /**
     * The warm-up of this kernel's gate ({@link dev.al4j.strategies.internal.Simd.Gate}): {@link #squaredDistance} on a
     * made-up row against 8 centroids of 515 features (the vector loop and its tail), 20 000 rounds.
     */
    static void warmUp() {
        int d = 515;
        float[] row = new float[d];
        float[] centroids = new float[8 * d];
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int j = 0; j < d; j++) {
            row[j] = (float) random.nextGaussian();
        }
        for (int j = 0; j < centroids.length; j++) {
            centroids[j] = (float) random.nextGaussian();
        }
        float[] lanes = new float[MAX_LANES];
        float sink = 0;
        for (int round = 0; round < 20000; round++) {
            sink += squaredDistance(row, centroids, (round % 8) * d, d, lanes);
        }
        if (!(sink > 0)) {
            throw new IllegalStateException("squared distances summed to " + sink);
        }
    }

    /** Whether the hardware's vectors hold at least 8 floats (else the scalar kernel is as fast). */
    static boolean usable() {
        return LANES >= 8;
    }

    /**
     * Halves folded onto each other ({@code log₂ LANES} permutes and adds), then lane 0: a pairwise sum. JDK 17's
     * {@code reduceLanes(ADD)} on floats adds the lanes one after the other (an ordered reduction, 16 dependent adds
     * with AVX-512), which was 10 % of a query's CPU samples; any order is within the rounding bound.
     */
    private static float sumOfLanes(FloatVector v, float[] lanes) {
        for (int i = 0; i < FOLDS.size(); i++) {
            v = v.add(v.rearrange(FOLDS.get(i)));
        }
        v.intoArray(lanes, 0); // then lane 0: JDK 17's lane(0) on 512-bit vectors is not intrinsified (9 % of samples)
        return lanes[0];
    }

    /** {@code FOLDS.get(i)} moves lane {@code j + (LANES >> (i + 1))} to lane {@code j} (mod {@code LANES}). */
    private static final List<VectorShuffle<Float>> FOLDS = folds();

    private static List<VectorShuffle<Float>> folds() {
        List<VectorShuffle<Float>> out = new ArrayList<>();
        for (int shift = LANES >> 1; shift > 0; shift >>= 1) {
            int by = shift;
            out.add(VectorShuffle.fromOp(SPECIES, j -> (j + by) % LANES));
        }
        return List.copyOf(out);
    }

    /**
     * {@code Σ_j (row[j] − centroids[offset + j])²} over {@code j < d}, in float (see the class comment);
     * {@code lanes} is scratch of at least {@link #LANES} floats ({@link #MAX_LANES} always suffice).
     */
    static float squaredDistance(float[] row, float[] centroids, int offset, int d, float[] lanes) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int j = 0;
        for (; j + 4 * LANES <= d; j += 4 * LANES) {
            FloatVector v0 = FloatVector.fromArray(SPECIES, row, j)
                    .sub(FloatVector.fromArray(SPECIES, centroids, offset + j));
            FloatVector v1 = FloatVector.fromArray(SPECIES, row, j + LANES)
                    .sub(FloatVector.fromArray(SPECIES, centroids, offset + j + LANES));
            FloatVector v2 = FloatVector.fromArray(SPECIES, row, j + 2 * LANES)
                    .sub(FloatVector.fromArray(SPECIES, centroids, offset + j + 2 * LANES));
            FloatVector v3 = FloatVector.fromArray(SPECIES, row, j + 3 * LANES)
                    .sub(FloatVector.fromArray(SPECIES, centroids, offset + j + 3 * LANES));
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (; j + LANES <= d; j += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, row, j)
                    .sub(FloatVector.fromArray(SPECIES, centroids, offset + j));
            s0 = v.fma(v, s0);
        }
        float s = sumOfLanes(s0.add(s1).add(s2.add(s3)), lanes);
        for (; j < d; j++) {
            float v = row[j] - centroids[offset + j];
            s += v * v;
        }
        return s;
    }
}
