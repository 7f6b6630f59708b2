package dev.al4j.core;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synthetic model outputs for tests in every module: softmax of Gaussian logits, Gaussian embeddings, and MC passes
 * that jitter the logits. All a pure function of the seed.
 */
public final class TestModels {

    private TestModels() {}

    /** {@code [n, k]} rows of softmax(N(0, scale²) logits), as doubles. */
    public static double[][] softmaxRows(int n, int k, double scale, SplittableRandom random) {
        double[][] p = new double[n][k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] z = new double[k];
            for (int c = 0; c < k; c++) {
                z[c] = scale * gaussian(random);
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                p[i][c] = Math.exp(z[c] - max);
                sum += p[i][c];
            }
            for (int c = 0; c < k; c++) {
                p[i][c] /= sum;
            }
        }
        return p;
    }

    /** A model with probabilities, {@code d}-dimensional embeddings and {@code t} MC passes over {@code n} ids. */
    public static PrecomputedModel random(int n, int k, int d, int t, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray probs = Nd4j.create(softmaxRows(n, k, 2.0, random)).castTo(DataType.FLOAT);
        float[] emb = new float[n * d];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) gaussian(random);
        }
        INDArray embeddings = Nd4j.create(emb, new long[] {n, d}, 'c');
        INDArray mc = Nd4j.create(DataType.FLOAT, t, n, k);
        for (int pass = 0; pass < t; pass++) {
            mc.putSlice(pass, Nd4j.create(softmaxRows(n, k, 2.0, random)).castTo(DataType.FLOAT));
        }
        return PrecomputedModel.builder(probs).embeddings(embeddings).mcProbabilities(mc).build();
    }

    /** A standard normal variate (Box-Muller). */
    public static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * A model with every capability whose outputs hold one NaN (probabilities row 0, embeddings row 0, MC pass 0
     * row 0), to check that strategies reject invalid model outputs.
     */
    public static Model poisoned(PrecomputedModel clean) {
        return new Poisoned(clean);
    }

    private static final class Poisoned implements EmbeddingModel, StochasticModel {
        private final PrecomputedModel clean;

        Poisoned(PrecomputedModel clean) {
            this.clean = clean;
        }

        @Override
        public int numClasses() {
            return clean.numClasses();
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            INDArray p = clean.probabilities(pool, ids).dup();
            p.putScalar(0, 0, Double.NaN);
            return p;
        }

        @Override
        public int embeddingSize() {
            return clean.embeddingSize();
        }

        @Override
        public Predictions predict(Pool pool, int[] ids) {
            Predictions p = clean.predict(pool, ids);
            INDArray probs = p.probabilities().dup();
            INDArray emb = p.embeddings().dup();
            probs.putScalar(0, 0, Double.NaN);
            emb.putScalar(0, 0, Double.NaN);
            return new Predictions(probs, emb);
        }

        @Override
        public int defaultPasses() {
            return clean.defaultPasses();
        }

        @Override
        public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
            INDArray s = clean.stochasticProbabilities(pool, ids, passes, seed).dup();
            s.putScalar(new long[] {0, 0, 0}, Double.NaN);
            return s;
        }
    }
}
