package dev.al4j.strategies;

import dev.al4j.core.Augmenter;
import dev.al4j.core.Checks;
import dev.al4j.core.InputModel;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import dev.al4j.core.Seeds;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ask-n-Learn's pseudo-labels (Venkatesh and Thiagarajan, "Ask-n-Learn: Active Learning via Reliable Gradient
 * Representations for Image Classification", 2020, Algorithm 1): a confident prediction keeps its argmax; an
 * unconfident one takes the argmax of the model's mean prediction over augmented copies of the input, which damps
 * the confirmation bias of trusting a shaky argmax.
 *
 * <p>For candidate {@code x} with predicted distribution {@code p}: {@code y = argmax p} when
 * {@code max p >= threshold}, otherwise {@code y = argmax (1/A) sum_a p(y | augment_a(x))} over {@code A}
 * augmented copies. Copy {@code a} of the sample with pool id {@code id} uses the augmentation seed
 * {@link #augmentationSeed(long, int, int) augmentationSeed(seed, a, id)}, so labels depend on the id and the seed,
 * not on the candidates' order or batching. Ties in an argmax go to the lower class.
 *
 * <p>Cost: inputs of the {@code U} unconfident candidates are read in batches of {@value #BATCH}, augmented
 * {@code A} times and run through the model: {@code A * U} extra forward passes (the method's price, on top of the
 * query's one pass), O(batch * (input size + K)) memory. Immutable and thread-safe.
 */
final class AugmentedPseudoLabels {

    static final int BATCH = 256;

    private final Augmenter augmenter;
    private final double threshold;
    private final int augmentations;
    private final long seed;

    AugmentedPseudoLabels(Augmenter augmenter, double threshold, int augmentations, long seed) {
        this.augmenter = Checks.checkNotNull(augmenter, "augmenter");
        this.threshold = threshold;
        this.augmentations = augmentations;
        this.seed = seed;
    }

    /**
     * The pseudo-label of every id.
     *
     * @param probabilities {@code [ids.length, K]} the model's predictions on the original inputs (validated)
     * @param model runs on augmented inputs
     * @param who the strategy, named when the pool lacks inputs
     */
    int[] labels(Pool pool, InputModel model, int[] ids, INDArray probabilities, Object who) {
        int k = pool.numClasses();
        int n = ids.length;
        double[] p = probabilities.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int[] labels = LabeledAndCandidates.argMaxRows(probabilities);
        int[] unsure = new int[n];
        int u = 0;
        for (int i = 0; i < n; i++) {
            if (!(p[i * k + labels[i]] >= threshold)) {
                unsure[u++] = i;
            }
        }
        if (u == 0) {
            return labels;
        }
        PoolInputs inputs = pool.requireInputs(String.valueOf(who));
        for (int from = 0; from < u; from += BATCH) {
            int[] rows = Arrays.copyOfRange(unsure, from, Math.min(u, from + BATCH));
            int[] batchIds = Arrays.stream(rows).map(i -> ids[i]).toArray();
            INDArray x = inputs.rows(batchIds);
            INDArray sum = Nd4j.zeros(DataType.DOUBLE, rows.length, k);
            long[] seeds = new long[rows.length];
            for (int a = 0; a < augmentations; a++) {
                for (int j = 0; j < rows.length; j++) {
                    seeds[j] = augmentationSeed(seed, a, batchIds[j]);
                }
                INDArray q = model.probabilities(augmenter.augment(x, seeds));
                Checks.checkProbabilities(q, rows.length, k, "model probabilities on augmented inputs");
                sum.addi(q.castTo(DataType.DOUBLE));
            }
            int[] voted = LabeledAndCandidates.argMaxRows(sum);
            for (int j = 0; j < rows.length; j++) {
                labels[rows[j]] = voted[j];
            }
        }
        return labels;
    }

    /** The seed of augmented copy {@code copy} of pool id {@code id}: SplitMix64's finaliser over both. */
    static long augmentationSeed(long seed, int copy, int id) {
        return Seeds.finish(seed + Seeds.GOLDEN_GAMMA * (1L + id) + 0xD1B54A32D192ED03L * (1L + copy));
    }
}
