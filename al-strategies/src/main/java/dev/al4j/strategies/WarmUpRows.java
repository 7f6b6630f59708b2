package dev.al4j.strategies;

/** Made-up probability rows for the SIMD kernels' warm-ups ({@link dev.al4j.strategies.internal.Simd.Gate}). */
final class WarmUpRows {

    private WarmUpRows() {}

    /** {@code n} rows of {@code k} probabilities (each row sums to 1 within float rounding), row-major, from a seed. */
    static float[] probabilities(int n, int k, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] p = new float[n * k];
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                row[c] = Math.exp(2 * random.nextGaussian());
                sum += row[c];
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] = (float) (row[c] / sum);
            }
        }
        return p;
    }
}
