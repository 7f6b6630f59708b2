package dev.al4j.benchmarks;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The setting of the query-time table in the SCAL paper (Citovsky et al. 2021): {@code candidates} unlabeled and
 * {@code labeled} labeled samples with {@code d}-dimensional float32 embeddings and {@code K}-class probabilities,
 * as a {@link PrecomputedModel}. Embeddings are a mixture of 50 Gaussian blobs (unit spread around N(0, 4) centres),
 * so that clusters exist; probabilities are softmax(N(0, 2²)) rows. Everything is a pure function of the seed and is
 * generated in row blocks, so the 1 000 000-candidate setting never holds a second full copy on the heap.
 */
public record ScalSetting(Pool pool, PrecomputedModel model) {

    private static final int BLOCK = 8192;

    /** Builds the setting; ids {@code 0..candidates-1} are unlabeled, the last {@code labeled} ids are labeled. */
    public static ScalSetting create(int candidates, int labeled, int d, int k, long seed) {
        int n = candidates + labeled;
        SplittableRandom random = new SplittableRandom(seed);
        int blobs = 50;
        float[] centres = new float[blobs * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) (2 * gaussian(random));
        }
        INDArray embeddings = Nd4j.create(DataType.FLOAT, n, d);
        INDArray probabilities = Nd4j.create(DataType.FLOAT, n, k);
        for (int from = 0; from < n; from += BLOCK) {
            int rows = Math.min(BLOCK, n - from);
            float[] e = new float[rows * d];
            float[] p = new float[rows * k];
            for (int r = 0; r < rows; r++) {
                int blob = random.nextInt(blobs);
                for (int j = 0; j < d; j++) {
                    e[r * d + j] = centres[blob * d + j] + (float) gaussian(random);
                }
                double max = Double.NEGATIVE_INFINITY;
                double[] z = new double[k];
                for (int c = 0; c < k; c++) {
                    z[c] = 2 * gaussian(random);
                    max = Math.max(max, z[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    z[c] = Math.exp(z[c] - max);
                    sum += z[c];
                }
                for (int c = 0; c < k; c++) {
                    p[r * k + c] = (float) (z[c] / sum);
                }
            }
            embeddings.get(NDArrayIndex.interval(from, from + rows), NDArrayIndex.all())
                    .assign(Nd4j.create(e, new long[] {rows, d}, 'c'));
            probabilities.get(NDArrayIndex.interval(from, from + rows), NDArrayIndex.all())
                    .assign(Nd4j.create(p, new long[] {rows, k}, 'c'));
        }
        PrecomputedModel model = PrecomputedModel.builder(probabilities).embeddings(embeddings).build();
        int[] labeledIds = new int[labeled];
        int[] labels = new int[labeled];
        for (int i = 0; i < labeled; i++) {
            labeledIds[i] = candidates + i;
            labels[i] = i % k;
        }
        Pool pool = Pool.withoutInputs(n, k).withLabels(labeledIds, labels);
        return new ScalSetting(pool, model);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
