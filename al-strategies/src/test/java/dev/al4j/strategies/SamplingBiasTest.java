package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.TestModels;
import dev.al4j.metrics.Metrics;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SCAL paper, "Done when": on an imbalanced pool, the labels FeatureSim and DFM acquire are less biased (eq. 4,
 * {@code 1 - H(label distribution) / log K}) than those entropy acquires.
 *
 * <p>The synthetic pool mimics penultimate features of a trained network, with the two effects the paper blames
 * for sampling bias, neither tuned toward a particular strategy:
 * <ul>
 *   <li>imbalance: class priors 0.40, 0.25, 0.15, 0.12, 0.08, so the initial random labeled set is imbalanced too;
 *   <li>confusable classes: classes 0 and 1 have nearby centres (like cat and dog in CIFAR-10), the others are
 *       well apart; each class lies near its own 3-dimensional subspace plus isotropic noise.
 * </ul>
 * The model is the softmax of a nearest-class-mean classifier that knows the priors (what a network trained on
 * imbalanced data roughly learns): {@code log p(c|z) = log pi_c - |z - mu_c|^2 / (2 s^2) + const}. Its predictions
 * are good but not perfect. Entropy picks the most ambiguous samples, which sit mostly between the two confusable
 * majority classes, so its labels concentrate there. FeatureSim spreads its picks over the predicted classes by
 * construction; DFM has no such rule and only benefits if poorly modelled samples really are spread over the
 * classes, so its result is a genuine outcome of the method, not of the set-up.
 */
class SamplingBiasTest {

    private static final Logger LOG = LoggerFactory.getLogger(SamplingBiasTest.class);

    private static final double[] PRIORS = {0.40, 0.25, 0.15, 0.12, 0.08};
    private static final int N = 3000;
    private static final int D = 24;
    private static final int SUBSPACE = 3;
    private static final int INITIAL = 60;
    private static final double NOISE = 0.25; // isotropic noise per coordinate
    private static final double SPREAD = 2.0; // standard deviation along each of a class's 3 directions
    private static final int ROUNDS = 3;
    private static final int BATCH = 100;

    /** SCAL eq. 4 of the acquired labels, through al-metrics. */
    static double samplingBias(int[] labels, int k) {
        int[] counts = new int[k];
        for (int label : labels) {
            counts[label]++;
        }
        return Metrics.samplingBias(counts);
    }

    record Synthetic(int[] truth, PrecomputedModel model) {}

    static Synthetic synthetic(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = PRIORS.length;
        double[][] means = new double[k][D];
        for (int c = 0; c < k; c++) {
            means[c][c] = 6; // well apart: distance 6 sqrt(2) between centres
        }
        means[1] = means[0].clone(); // classes 0 and 1 confusable: centres 2.5 apart
        means[1][k] = 2.5;
        means[4] = means[3].clone(); // and so, less so, are minority classes 3 and 4: centres 3.5 apart
        means[4][k + 1] = 3.5;
        double[][][] bases = new double[k][SUBSPACE][D];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < SUBSPACE; j++) {
                for (int t = 0; t < D; t++) {
                    bases[c][j][t] = TestModels.gaussian(r) / Math.sqrt(D); // about unit length
                }
            }
        }
        int[] truth = new int[N];
        double[][] z = new double[N][D];
        for (int i = 0; i < N; i++) {
            double u = r.nextDouble();
            int c = 0;
            while (c < k - 1 && (u -= PRIORS[c]) > 0) {
                c++;
            }
            truth[i] = c;
            for (int t = 0; t < D; t++) {
                z[i][t] = means[c][t] + NOISE * TestModels.gaussian(r);
            }
            for (int j = 0; j < SUBSPACE; j++) {
                double a = SPREAD * TestModels.gaussian(r);
                for (int t = 0; t < D; t++) {
                    z[i][t] += a * bases[c][j][t];
                }
            }
        }
        double s2 = 2 * (SPREAD * SPREAD * SUBSPACE / D + NOISE * NOISE); // 2 s^2, s^2 the per-coordinate variance
        double[][] probs = new double[N][k];
        for (int i = 0; i < N; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double dist = 0;
                for (int t = 0; t < D; t++) {
                    dist += (z[i][t] - means[c][t]) * (z[i][t] - means[c][t]);
                }
                probs[i][c] = Math.log(PRIORS[c]) - dist / s2;
                max = Math.max(max, probs[i][c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                probs[i][c] = Math.exp(probs[i][c] - max);
                sum += probs[i][c];
            }
            for (int c = 0; c < k; c++) {
                probs[i][c] /= sum;
            }
        }
        INDArray p = Nd4j.create(probs).castTo(DataType.FLOAT);
        INDArray e = Nd4j.create(z).castTo(DataType.FLOAT);
        return new Synthetic(truth, PrecomputedModel.builder(p).embeddings(e).build());
    }

    /** Runs {@link #ROUNDS} queries of {@link #BATCH} from a random initial set; returns the acquired labels. */
    static int[] acquire(QueryStrategy strategy, Synthetic data, long seed) {
        int k = PRIORS.length;
        SplittableRandom r = new SplittableRandom(seed + 1);
        int[] initial = r.ints(0, N).distinct().limit(INITIAL).toArray();
        Pool pool = Pool.withoutInputs(N, k).withLabels(initial, Arrays.stream(initial).map(i -> data.truth[i]).toArray());
        int[] acquired = new int[0];
        for (int round = 0; round < ROUNDS; round++) {
            int[] ids = strategy.select(pool, data.model, BATCH).ids();
            int[] labels = Arrays.stream(ids).map(i -> data.truth[i]).toArray();
            pool = pool.withLabels(ids, labels);
            int old = acquired.length;
            acquired = Arrays.copyOf(acquired, old + labels.length);
            System.arraycopy(labels, 0, acquired, old, labels.length);
        }
        return acquired;
    }

    @Test
    void featureSimilarityAndDfmAcquireLessBiasedLabelsThanEntropy() {
        int k = PRIORS.length;
        for (long seed = 2021; seed <= 2023; seed++) {
            Synthetic data = synthetic(seed);
            int[] entropy = acquire(Strategies.entropy(), data, seed);
            int[] featureSim = acquire(Strategies.featureSimilarity(), data, seed);
            int[] dfm = acquire(Strategies.deepFeatureModeling(), data, seed);
            LOG.info(String.format(Locale.ROOT,
                    "seed %d sampling bias (label counts): pool %.3f, entropy %.3f %s, featureSim %.3f %s, DFM %.3f %s",
                    seed, samplingBias(data.truth, k), samplingBias(entropy, k), hist(entropy, k),
                    samplingBias(featureSim, k), hist(featureSim, k), samplingBias(dfm, k), hist(dfm, k)));
            assertTrue(samplingBias(featureSim, k) < samplingBias(entropy, k), "featureSim vs entropy, seed " + seed);
            assertTrue(samplingBias(dfm, k) < samplingBias(entropy, k), "DFM vs entropy, seed " + seed);
        }
    }

    static String hist(int[] labels, int k) {
        int[] h = new int[k];
        for (int l : labels) {
            h[l]++;
        }
        return Arrays.toString(h);
    }
}
