package dev.al4j.strategies;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link UncertaintyBounds#weightedSquares}, the second sweep of BALD's bound: for a vector of
 * entries of a block, the passes' weighted squared deviations {@code w(v·q)·((v − m)²·q)} summed over the passes in
 * order, with the weight gathered from {@link UncertaintyBounds#weights} at the piece of {@code v·q} (the double's bits
 * shifted right by {@link UncertaintyBounds#PIECE_SHIFT}, sign cleared). Each lane does the scalar loop's operations
 * in its order (no fused multiply-add), so the sums are the same bits; the entries past the last full vector take
 * the scalar loop. Loaded only when {@link dev.al4j.strategies.internal.Simd#ENABLED} (it names
 * {@code jdk.incubator.vector} types).
 */
final class BaldBoundSimd {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    /** The int indices of a vector of pieces: one int lane per double lane. */
    private static final VectorSpecies<Integer> INDEX =
            VectorSpecies.of(int.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));

    /** The floats of a row, one float lane per double lane. */
    private static final VectorSpecies<Float> FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));

    /** Doubles per vector: 8 with AVX-512, 4 with AVX2. */
    static final int LANES = SPECIES.length();

    private BaldBoundSimd() {}

    /**
     * The first sweep of {@link UncertaintyBounds#baldBounds} over one pass of a block of checked rows (the model
     * vouches for them: no test): row {@code r} (at {@code base + (ids == null ? i0 + r : ids[i0 + r])·k} of
     * {@code p}) times {@code 1/sum} into {@code values[into + r·k + c]}, then added to {@code mean[r·k + c]}. A row
     * is read as vectors of {@link #LANES} floats widened to doubles, the lanes past {@code k} blended to 0; its sum
     * is their lane sum, in another order than the scalar loop's (the margin of
     * {@link UncertaintyBounds#baldBoundMargin} holds for any order). Each row's last vector stores up to
     * {@code LANES − 1} zeros past the row, which the next row overwrites: {@code values} must have {@link #LANES}
     * doubles of room past the block. The mean is added after the pass's rows, flat over {@code values[into ..]}.
     * A row whose last vector would read past the end of {@code p} takes the scalar loop.
     */
    static void normalise(float[] p, int base, int[] ids, int k, int i0, int rows, double[] values, int into,
            double[] mean) {
        int chunks = (k + LANES - 1) / LANES;
        VectorMask<Double> tail = SPECIES.indexInRange(0, k - (chunks - 1) * LANES);
        DoubleVector zero = DoubleVector.zero(SPECIES);
        int lastFull = p.length - chunks * LANES; // a row at `at` reads up to at + chunks·LANES − 1
        for (int r = 0; r < rows; r++) {
            int at = base + (ids == null ? i0 + r : ids[i0 + r]) * k;
            int off = r * k;
            if (at > lastFull) {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += p[at + c];
                }
                double inv = 1.0 / sum;
                for (int c = 0; c < k; c++) {
                    values[into + off + c] = p[at + c] * inv;
                }
                continue;
            }
            if (chunks == 1) {
                DoubleVector x = zero.blend(widen(p, at), tail);
                double inv = 1.0 / x.reduceLanes(VectorOperators.ADD);
                x.mul(inv).intoArray(values, into + off);
            } else if (chunks == 2) {
                DoubleVector x0 = widen(p, at);
                DoubleVector x1 = zero.blend(widen(p, at + LANES), tail);
                double inv = 1.0 / x0.add(x1).reduceLanes(VectorOperators.ADD);
                x0.mul(inv).intoArray(values, into + off);
                x1.mul(inv).intoArray(values, into + off + LANES);
            } else {
                DoubleVector sum = zero;
                int c = 0;
                for (; c < chunks - 1; c++) {
                    sum = sum.add(widen(p, at + c * LANES));
                }
                double inv = 1.0 / sum.add(zero.blend(widen(p, at + c * LANES), tail))
                        .reduceLanes(VectorOperators.ADD);
                for (c = 0; c < chunks; c++) {
                    DoubleVector x = widen(p, at + c * LANES);
                    if (c == chunks - 1) {
                        x = zero.blend(x, tail);
                    }
                    x.mul(inv).intoArray(values, into + off + c * LANES);
                }
            }
        }
        // The mean, flat over the pass's rows just written (in L1): a row's vector never reloads what the previous
        // row's overlapping vector stored, which would wait for that store.
        int size = rows * k;
        int last = size - size % LANES;
        for (int j = 0; j < last; j += LANES) {
            DoubleVector.fromArray(SPECIES, mean, j).add(DoubleVector.fromArray(SPECIES, values, into + j))
                    .intoArray(mean, j);
        }
        for (int j = last; j < size; j++) {
            mean[j] += values[into + j];
        }
    }

    /** {@link #LANES} floats of {@code p} from {@code at}, as doubles. */
    private static DoubleVector widen(float[] p, int at) {
        return (DoubleVector) FloatVector.fromArray(FLOATS, p, at).convertShape(VectorOperators.F2D, SPECIES, 0);
    }

    /**
     * {@link UncertaintyBounds#weightedSquares} over entries {@code 0} to {@code size} of a block ({@code values}
     * holds pass {@code pass}'s entry {@code j} at {@code pass·stride + j}).
     */
    static void weightedSquares(double[] values, int stride, int t, double[] mean, double[] reciprocal, int size,
            double[] bound) {
        double[] weights = UncertaintyBounds.weights();
        long pieces = weights.length - 1;
        int[] index = new int[LANES];
        int last = size - size % LANES;
        for (int j = 0; j < last; j += LANES) {
            DoubleVector m = DoubleVector.fromArray(SPECIES, mean, j);
            DoubleVector q = DoubleVector.fromArray(SPECIES, reciprocal, j);
            DoubleVector b = DoubleVector.zero(SPECIES);
            for (int pass = 0; pass < t; pass++) {
                DoubleVector v = DoubleVector.fromArray(SPECIES, values, pass * stride + j);
                DoubleVector d = v.sub(m);
                LongVector piece = v.mul(q).reinterpretAsLongs()
                        .lanewise(VectorOperators.LSHR, UncertaintyBounds.PIECE_SHIFT)
                        .lanewise(VectorOperators.AND, pieces);
                ((IntVector) piece.convertShape(VectorOperators.L2I, INDEX, 0)).intoArray(index, 0);
                DoubleVector w = DoubleVector.fromArray(SPECIES, weights, 0, index, 0);
                b = b.add(w.mul(d.mul(d).mul(q)));
            }
            b.intoArray(bound, j);
        }
        UncertaintyBounds.weightedSquares(values, stride, t, mean, reciprocal, last, size, bound);
    }
}
