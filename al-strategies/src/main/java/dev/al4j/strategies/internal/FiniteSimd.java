package dev.al4j.strategies.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Whether floats are all finite, a vector at a time: the SIMD twin of the scan in {@link QueryOutputs#checkFinite}
 * (whose early exit keeps C2 from vectorising it; a query of the SCAL setting scans 5.6 million embedding values, about
 * 2 ms of serial work scalar, 1.1 ms here, measured alone). A float is finite exactly when its exponent bits are not
 * all ones; {@code (bits & 0x7f800000) + 0x00800000} sets the sign bit exactly then, so one OR over the array tells.
 * Loaded only when {@link Simd#ENABLED} (it names {@code jdk.incubator.vector} types).
 */
final class FiniteSimd {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int EXPONENT = 0x7f800000;
    private static final int CARRY = 0x00800000;

    private FiniteSimd() {}

    /** The warm-up of this kernel's gate ({@link Simd.Gate}): {@link #allFinite} on made-up floats, 3 000 rounds. */
    static void warmUp() {
        float[] e = new float[4096 + 7];
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) random.nextGaussian();
        }
        for (int round = 0; round < 3000; round++) {
            if (!allFinite(e, e.length - round % 8)) {
                throw new IllegalStateException("finite values read as not finite");
            }
        }
    }

    /** Whether {@code e[0 .. length)} are all finite (no NaN, no infinity). */
    static boolean allFinite(float[] e, int length) {
        int lanes = SPECIES.length();
        IntVector acc = IntVector.zero(IntVector.SPECIES_PREFERRED); // the same shape as SPECIES
        int i = 0;
        for (; i <= length - lanes; i += lanes) {
            IntVector bits = FloatVector.fromArray(SPECIES, e, i).reinterpretAsInts();
            acc = acc.or(bits.and(EXPONENT).add(CARRY));
        }
        int all = acc.reduceLanes(VectorOperators.OR);
        for (; i < length; i++) {
            all |= (Float.floatToRawIntBits(e[i]) & EXPONENT) + CARRY;
        }
        return all >= 0;
    }
}
