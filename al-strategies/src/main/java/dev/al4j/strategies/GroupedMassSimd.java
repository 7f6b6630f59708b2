package dev.al4j.strategies;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link UncertaintyBounds#checkedGroups}: for each row, the float sum of its entries above
 * {@code 1/K} and their count, one vector load per row (a row of {@code K <=} {@link #LANES} floats, the lanes past
 * {@code K} masked off), a masked comparison, a lane sum and a mask count. Loaded only when {@link
 * dev.al4j.strategies.internal.Simd#ENABLED} (it names {@code jdk.incubator.vector} types). The lane sum adds the
 * entries in another order than the scalar loop; the bound's margin covers any order (see
 * {@link UncertaintyBounds#entropyCandidates}). Cost: {@code O(n)} vector operations; about 1.7–1.9× fewer CPU
 * cycles than the scalar loop at {@code n = 10⁶, K = 10} on this project's AVX-512 machine (benchmarks/README.md).
 */
final class GroupedMassSimd {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = SPECIES.length();

    private GroupedMassSimd() {}

    /**
     * The warm-up of this kernel's gate ({@link dev.al4j.strategies.internal.Simd.Gate}): {@link #checkedGroups} on
     * made-up rows, in order and through ids, 600 rounds.
     */
    static void warmUp() {
        int k = 10;
        int n = 1024;
        float[] p = WarmUpRows.probabilities(n, k, 1);
        int[] ids = new int[n / 2];
        java.util.Arrays.setAll(ids, j -> 2 * j);
        float[] mass = new float[n];
        short[] groups = new short[n];
        for (int round = 0; round < 600; round++) {
            checkedGroups(p, 0, null, k, 0, n, mass, groups);
            checkedGroups(p, 0, ids, k, 0, ids.length, mass, groups);
        }
    }

    /** Whether a row of {@code k} floats fits one vector, on hardware with vectors of at least 8 floats. */
    static boolean fits(int k) {
        return LANES >= 8 && k <= LANES;
    }

    /**
     * Rows {@code from} to {@code to} (row {@code i} at {@code base + (ids == null ? i : ids[i])·k} of {@code p}):
     * {@code mass[i]} the float sum of the entries above {@code 1/k}, {@code groups[i]} their count. A row whose
     * vector would read past the end of {@code p} goes through the scalar loop.
     */
    static void checkedGroups(float[] p, int base, int[] ids, int k, int from, int to, float[] mass, short[] groups) {
        FloatVector limit = FloatVector.broadcast(SPECIES, 1.0f / k);
        FloatVector zero = FloatVector.zero(SPECIES);
        VectorMask<Float> row = SPECIES.indexInRange(0, k);
        int lastFull = p.length - LANES; // a vector at `at` reads at + LANES - 1 at most
        for (int i = from; i < to; i++) {
            int at = base + (ids == null ? i : ids[i]) * k;
            if (at > lastFull) {
                UncertaintyBounds.checkedGroups(p, base, ids, k, i, i + 1, mass, groups);
                continue;
            }
            FloatVector x = FloatVector.fromArray(SPECIES, p, at);
            VectorMask<Float> big = x.compare(VectorOperators.GT, limit).and(row);
            mass[i] = zero.blend(x, big).reduceLanes(VectorOperators.ADD);
            groups[i] = (short) big.trueCount();
        }
    }
}
