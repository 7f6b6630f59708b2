package dev.al4j.benchmarks;

import dev.al4j.core.Checks;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fixture every query benchmark shares: synthetic model outputs in the setting of the query-time table of the
 * SCAL paper (Krishnan et al. 2021, Table 1; the same sizes as Citovsky et al. 2021): {@code candidates} unlabeled
 * and {@code labeled} labeled samples with {@code d}-dimensional float32 embeddings, {@code K}-class probabilities
 * and, if asked, {@code T} MC-dropout passes, as one {@link PrecomputedModel}. {@link #table1()} is that setting:
 * 10 000 candidates, 1 000 labeled, d = 512, K = 10, T = 20.
 *
 * <p>The outputs look like a trained network's, so that strategies which use the labels (DFM, FeatureSim, CAL) or
 * clusters (k-means, DBAL) do their normal amount of work: embeddings are a mixture of {@code blobs} (default 50)
 * Gaussian blobs, unit spread around {@code N(0, 2²)} centres; blob {@code j} belongs to class {@code j mod K}; a
 * sample's probabilities are {@code softmax(z)} with {@code z_c ~ N(0, 2²) + 3·[c = its class]}; MC pass {@code t}
 * adds independent {@code N(0, 1)} noise to the logits. A labeled sample's label is its class. The candidates are
 * ids {@code 0..candidates-1}, the labeled samples the last ids.
 *
 * <p>Everything is a pure function of the seed, and is generated in row blocks straight into native arrays, so the
 * 1 000 000-candidate setting never holds a second full copy on the heap. Memory: {@code 4·n·(d + K + T·K)} bytes
 * native for {@code n = candidates + labeled}, plus {@code 4·n·T·K} for the row-major copy {@code PrecomputedModel}
 * makes of the passes.
 */
public record ScalSetting(Pool pool, PrecomputedModel model) {

    private static final int BLOCK = 8192;

    /**
     * Embeddings and probabilities without MC passes: {@code builder().candidates(candidates).labeled(labeled)
     * .dimension(d).classes(k).seed(seed).build()}.
     */
    public static ScalSetting create(int candidates, int labeled, int d, int k, long seed) {
        return builder().candidates(candidates).labeled(labeled).dimension(d).classes(k).seed(seed).build();
    }

    /** The SCAL Table 1 setting: 10 000 candidates, 1 000 labeled, d = 512, K = 10, T = 20, seed 42. */
    public static ScalSetting table1() {
        return builder().passes(20).build();
    }

    /** A builder starting from the Table 1 sizes without MC passes (passes = 0). */
    public static Builder builder() {
        return new Builder();
    }

    /** Sizes of a {@link ScalSetting}; defaults are Table 1's, with no MC passes and seed 42. */
    public static final class Builder {
        private int candidates = 10_000;
        private int labeled = 1_000;
        private int dimension = 512;
        private int classes = 10;
        private int passes;
        private int blobs = 50;
        private boolean embeddings = true;
        private long seed = 42;

        private Builder() {}

        public Builder candidates(int candidates) {
            this.candidates = Checks.checkPositive(candidates, "candidates");
            return this;
        }

        public Builder labeled(int labeled) {
            Checks.checkArgument(labeled >= 0, "labeled must be >= 0, found %d", labeled);
            this.labeled = labeled;
            return this;
        }

        public Builder dimension(int dimension) {
            this.dimension = Checks.checkPositive(dimension, "dimension");
            return this;
        }

        public Builder classes(int classes) {
            Checks.checkArgument(classes >= 2, "classes must be >= 2, found %d", classes);
            this.classes = classes;
            return this;
        }

        /** MC-dropout passes {@code T}; 0 (the default) builds a model without them. */
        public Builder passes(int passes) {
            Checks.checkArgument(passes >= 0, "passes must be >= 0, found %d", passes);
            this.passes = passes;
            return this;
        }

        public Builder blobs(int blobs) {
            this.blobs = Checks.checkPositive(blobs, "blobs");
            return this;
        }

        /** Whether to build embeddings (default yes); scoring-only benchmarks at 10⁶ candidates skip their 2 GB. */
        public Builder embeddings(boolean embeddings) {
            this.embeddings = embeddings;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public ScalSetting build() {
            return generate(this);
        }
    }

    private static ScalSetting generate(Builder b) {
        int n = b.candidates + b.labeled;
        int d = b.dimension;
        int k = b.classes;
        int t = b.passes;
        SplittableRandom random = new SplittableRandom(b.seed);
        float[] centres = new float[b.blobs * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) (2 * gaussian(random));
        }
        INDArray embeddings = b.embeddings ? Nd4j.create(DataType.FLOAT, n, d) : null;
        INDArray probabilities = Nd4j.create(DataType.FLOAT, n, k);
        INDArray mc = t > 0 ? Nd4j.create(DataType.FLOAT, t, n, k) : null;
        int[] classOf = new int[n];
        double[] z = new double[k];
        double[] zt = new double[k];
        for (int from = 0; from < n; from += BLOCK) {
            int rows = Math.min(BLOCK, n - from);
            float[] e = b.embeddings ? new float[rows * d] : null;
            float[] p = new float[rows * k];
            float[] s = t > 0 ? new float[t * rows * k] : null;
            for (int r = 0; r < rows; r++) {
                int blob = random.nextInt(b.blobs);
                int label = blob % k;
                classOf[from + r] = label;
                if (e != null) {
                    for (int j = 0; j < d; j++) {
                        e[r * d + j] = centres[blob * d + j] + (float) gaussian(random);
                    }
                }
                for (int c = 0; c < k; c++) {
                    z[c] = 2 * gaussian(random) + (c == label ? 3 : 0);
                }
                softmax(z, p, r * k);
                for (int pass = 0; pass < t; pass++) {
                    for (int c = 0; c < k; c++) {
                        zt[c] = z[c] + gaussian(random);
                    }
                    softmax(zt, s, (pass * rows + r) * k);
                }
            }
            INDArrayIndex block = NDArrayIndex.interval(from, from + rows);
            if (embeddings != null) {
                embeddings.get(block, NDArrayIndex.all()).assign(Nd4j.create(e, new long[] {rows, d}, 'c'));
            }
            probabilities.get(block, NDArrayIndex.all()).assign(Nd4j.create(p, new long[] {rows, k}, 'c'));
            if (mc != null) {
                mc.get(NDArrayIndex.all(), block, NDArrayIndex.all())
                        .assign(Nd4j.create(s, new long[] {t, rows, k}, 'c'));
            }
        }
        PrecomputedModel.Builder model = PrecomputedModel.builder(probabilities);
        if (embeddings != null) {
            model.embeddings(embeddings);
        }
        if (mc != null) {
            model.mcProbabilities(mc);
        }
        int[] labeledIds = new int[b.labeled];
        int[] labels = new int[b.labeled];
        for (int i = 0; i < b.labeled; i++) {
            labeledIds[i] = b.candidates + i;
            labels[i] = classOf[b.candidates + i];
        }
        Pool pool = Pool.withoutInputs(n, k).withLabels(labeledIds, labels);
        return new ScalSetting(pool, model.build());
    }

    /** {@code out[off..off+k) = softmax(z)}, computed in double and stored as float. */
    private static void softmax(double[] z, float[] out, int off) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        for (int c = 0; c < z.length; c++) {
            out[off + c] = (float) (Math.exp(z[c] - max) / sum);
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
