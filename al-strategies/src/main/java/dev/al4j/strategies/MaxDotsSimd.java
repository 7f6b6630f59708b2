package dev.al4j.strategies;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link ClassTiles#maxDots}: <b>the same bits</b>, because every lane does one tile row's
 * arithmetic in the scalar kernel's order, {@code acc += (x_k·u_k + x_k+1·u_k+1) + (x_k+2·u_k+2 + x_k+3·u_k+3)} four
 * features at a time, then the {@code d mod 4} last features one by one, a product and a sum, never a fused
 * multiply-add. What differs is where the accumulators live: the scalar kernel keeps one accumulator array per
 * labeled row and loads and stores it for every four features (C2 vectorises only one output row per loop in JDK 17);
 * here a step holds {@link #ROWS} tile rows against {@link #COLUMNS} labeled rows in eight vector registers for all
 * {@code d} features, so the tile columns are loaded once per four labeled rows and the accumulators never leave the
 * registers (about 1.4× the scalar kernel's multiply-adds per second on AVX-512, measured alone on a 512 × 512 tile
 * against 100 labeled rows). Loaded only when {@link dev.al4j.strategies.internal.Simd#ENABLED} (it names
 * {@code jdk.incubator.vector} types).
 *
 * <p>Cost: {@code rows·(to − from)·d} multiply-adds, as the scalar kernel.
 */
final class MaxDotsSimd {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = SPECIES.length();

    /** Tile rows per step: two vectors. */
    static final int ROWS = 2 * LANES;

    /** Labeled rows per step. */
    static final int COLUMNS = 4;

    private MaxDotsSimd() {}

    /** Whether the hardware's vectors hold at least 8 floats (else the scalar kernel is as fast). */
    static boolean usable() {
        return LANES >= 8;
    }

    /**
     * The warm-up of this kernel's gate: {@link #maxDots} on a made-up tile, 4 000 rounds: C2 had compiled it after
     * about 1 700 (92 ms for the first, interpreted, 1 µs from then on, measured here), so the margin covers a slower
     * compiler on a busier machine.
     */
    static void warmUp() {
        int d = 64;
        int w = 2 * ROWS;
        float[][] columns = new float[d][w];
        float[] u = new float[2 * COLUMNS * d];
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (float[] column : columns) {
            for (int r = 0; r < w; r++) {
                column[r] = (float) random.nextGaussian();
            }
        }
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) random.nextGaussian();
        }
        float[] best = new float[w];
        for (int round = 0; round < 4000; round++) {
            maxDots(columns, w, u, 0, 2 * COLUMNS, d, best);
        }
    }

    /**
     * {@code best[r] = max(best[r], Σ_k x[r][k]·u_j[k])} for the tile rows {@code r < rows} and the labeled rows
     * {@code j} in {@code [from, to)} of the row-major {@code [*, d]} matrix {@code u}, each sum the bits of
     * {@link ClassTiles#maxDots}'. {@code to − from} must be a multiple of {@link #COLUMNS}, and every column at
     * least {@code rows} rounded up to a multiple of {@link #ROWS} long: the last step's lanes past {@code rows} are
     * computed on whatever the columns hold there and not stored.
     */
    static void maxDots(float[][] columns, int rows, float[] u, int from, int to, int d, float[] best) {
        float[] sums = new float[COLUMNS * ROWS];
        for (int r0 = 0; r0 < rows; r0 += ROWS) {
            int r1 = r0 + LANES;
            int stored = Math.min(ROWS, rows - r0);
            for (int j0 = from; j0 < to; j0 += COLUMNS) {
                // s{j}{h}: labeled row j0 + j against the tile rows of half h (r0 or r1).
                FloatVector s00 = FloatVector.zero(SPECIES);
                FloatVector s01 = s00;
                FloatVector s10 = s00;
                FloatVector s11 = s00;
                FloatVector s20 = s00;
                FloatVector s21 = s00;
                FloatVector s30 = s00;
                FloatVector s31 = s00;
                int u0 = j0 * d;
                int u1 = u0 + d;
                int u2 = u1 + d;
                int u3 = u2 + d;
                int k = 0;
                for (; k + 3 < d; k += 4) {
                    float[] c0 = columns[k];
                    float[] c1 = columns[k + 1];
                    float[] c2 = columns[k + 2];
                    float[] c3 = columns[k + 3];
                    FloatVector a00 = FloatVector.fromArray(SPECIES, c0, r0);
                    FloatVector a01 = FloatVector.fromArray(SPECIES, c0, r1);
                    FloatVector a10 = FloatVector.fromArray(SPECIES, c1, r0);
                    FloatVector a11 = FloatVector.fromArray(SPECIES, c1, r1);
                    FloatVector a20 = FloatVector.fromArray(SPECIES, c2, r0);
                    FloatVector a21 = FloatVector.fromArray(SPECIES, c2, r1);
                    FloatVector a30 = FloatVector.fromArray(SPECIES, c3, r0);
                    FloatVector a31 = FloatVector.fromArray(SPECIES, c3, r1);
                    float x0 = u[u0 + k];
                    float x1 = u[u0 + k + 1];
                    float x2 = u[u0 + k + 2];
                    float x3 = u[u0 + k + 3];
                    s00 = s00.add(a00.mul(x0).add(a10.mul(x1)).add(a20.mul(x2).add(a30.mul(x3))));
                    s01 = s01.add(a01.mul(x0).add(a11.mul(x1)).add(a21.mul(x2).add(a31.mul(x3))));
                    x0 = u[u1 + k];
                    x1 = u[u1 + k + 1];
                    x2 = u[u1 + k + 2];
                    x3 = u[u1 + k + 3];
                    s10 = s10.add(a00.mul(x0).add(a10.mul(x1)).add(a20.mul(x2).add(a30.mul(x3))));
                    s11 = s11.add(a01.mul(x0).add(a11.mul(x1)).add(a21.mul(x2).add(a31.mul(x3))));
                    x0 = u[u2 + k];
                    x1 = u[u2 + k + 1];
                    x2 = u[u2 + k + 2];
                    x3 = u[u2 + k + 3];
                    s20 = s20.add(a00.mul(x0).add(a10.mul(x1)).add(a20.mul(x2).add(a30.mul(x3))));
                    s21 = s21.add(a01.mul(x0).add(a11.mul(x1)).add(a21.mul(x2).add(a31.mul(x3))));
                    x0 = u[u3 + k];
                    x1 = u[u3 + k + 1];
                    x2 = u[u3 + k + 2];
                    x3 = u[u3 + k + 3];
                    s30 = s30.add(a00.mul(x0).add(a10.mul(x1)).add(a20.mul(x2).add(a30.mul(x3))));
                    s31 = s31.add(a01.mul(x0).add(a11.mul(x1)).add(a21.mul(x2).add(a31.mul(x3))));
                }
                for (; k < d; k++) { // the scalar kernel's last features, one by one
                    FloatVector a0 = FloatVector.fromArray(SPECIES, columns[k], r0);
                    FloatVector a1 = FloatVector.fromArray(SPECIES, columns[k], r1);
                    float x0 = u[u0 + k];
                    float x1 = u[u1 + k];
                    float x2 = u[u2 + k];
                    float x3 = u[u3 + k];
                    s00 = s00.add(a0.mul(x0));
                    s01 = s01.add(a1.mul(x0));
                    s10 = s10.add(a0.mul(x1));
                    s11 = s11.add(a1.mul(x1));
                    s20 = s20.add(a0.mul(x2));
                    s21 = s21.add(a1.mul(x2));
                    s30 = s30.add(a0.mul(x3));
                    s31 = s31.add(a1.mul(x3));
                }
                // The maximum in scalar code (JDK 17 does not compile the Vector API's max to one instruction); the
                // maximum is exact, so its order does not matter.
                s00.intoArray(sums, 0);
                s01.intoArray(sums, LANES);
                s10.intoArray(sums, ROWS);
                s11.intoArray(sums, ROWS + LANES);
                s20.intoArray(sums, 2 * ROWS);
                s21.intoArray(sums, 2 * ROWS + LANES);
                s30.intoArray(sums, 3 * ROWS);
                s31.intoArray(sums, 3 * ROWS + LANES);
                for (int r = 0; r < stored; r++) {
                    float m01 = Math.max(sums[r], sums[ROWS + r]);
                    float m23 = Math.max(sums[2 * ROWS + r], sums[3 * ROWS + r]);
                    best[r0 + r] = Math.max(best[r0 + r], Math.max(m01, m23));
                }
            }
        }
    }
}
