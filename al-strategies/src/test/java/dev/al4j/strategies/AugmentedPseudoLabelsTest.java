package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.ImageAugmenter;
import dev.al4j.core.Pool;
import dev.al4j.core.PoolInputs;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AugmentedPseudoLabelsTest {

    static Pool imagePool(int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray images = Nd4j.create(r.doubles(n * 16L).toArray(), new long[] {n, 1, 4, 4}, 'c');
        return Pool.of(PoolInputs.of(images), k);
    }

    /** Algorithm 1's pseudo-label, one candidate at a time, by definition. */
    static int[] naive(Pool pool, LinearSoftmaxModel model, int[] ids, ImageAugmenter augmenter, double threshold,
            int copies, long seed) {
        int k = pool.numClasses();
        double[][] p = model.probabilities(pool, ids).toDoubleMatrix();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int best = argMax(p[i]);
            if (p[i][best] >= threshold) {
                out[i] = best;
                continue;
            }
            double[] mean = new double[k];
            INDArray x = pool.requireInputs("test").rows(new int[] {ids[i]});
            for (int a = 0; a < copies; a++) {
                long s = AugmentedPseudoLabels.augmentationSeed(seed, a, ids[i]);
                double[] q = model.probabilities(augmenter.augment(x, new long[] {s})).toDoubleVector();
                for (int c = 0; c < k; c++) {
                    mean[c] += q[c] / copies;
                }
            }
            out[i] = argMax(mean);
        }
        return out;
    }

    static int argMax(double[] v) {
        int best = 0;
        for (int c = 1; c < v.length; c++) {
            if (v[c] > v[best]) {
                best = c;
            }
        }
        return best;
    }

    @Property(tries = 10)
    void matchesTheNaiveDefinitionAndIgnoresCandidateOrder(@ForAll @DoubleRange(min = 0.2, max = 1.0) double threshold,
            @ForAll @IntRange(min = 1, max = 6) int copies, @ForAll long seed) {
        int k = 3;
        Pool pool = imagePool(280, k, seed); // 280 > BATCH: more than one batch of unconfident inputs
        LinearSoftmaxModel model = new LinearSoftmaxModel(16, k, 5, 3.0, seed);
        ImageAugmenter augmenter = ImageAugmenter.of(1, 4, 4).withMaxShift(1);
        int[] ids = pool.candidates();
        AugmentedPseudoLabels labels = new AugmentedPseudoLabels(augmenter, threshold, copies, seed);
        int[] fast = labels.labels(pool, model, ids, model.probabilities(pool, ids), "test");
        assertArrayEquals(naive(pool, model, ids, augmenter, threshold, copies, seed), fast);
        int[] reversed = new int[ids.length];
        Arrays.setAll(reversed, i -> ids[ids.length - 1 - i]);
        int[] back = labels.labels(pool, model, reversed, model.probabilities(pool, reversed), "test");
        for (int i = 0; i < ids.length; i++) {
            assertEquals(fast[i], back[ids.length - 1 - i], "id " + ids[i]);
        }
    }

    @Test
    void confidentPredictionsNeedNoAugmentedPass() {
        Pool pool = imagePool(50, 4, 1);
        LinearSoftmaxModel model = new LinearSoftmaxModel(16, 4, 5, 3.0, 1);
        int[] ids = pool.candidates();
        INDArray p = model.probabilities(pool, ids);
        // Threshold 0: every prediction is confident, so the labels are the plain argmax and no copy is run.
        int[] labels = new AugmentedPseudoLabels(ImageAugmenter.of(1, 4, 4), 0, 5, 1).labels(pool, model, ids, p,
                "test");
        assertArrayEquals(LabeledAndCandidates.argMaxRows(p), labels);
        assertEquals(0, model.augmentedRows.get());
        // Threshold 1: every candidate whose max probability is below 1 runs 5 copies.
        new AugmentedPseudoLabels(ImageAugmenter.of(1, 4, 4), 1, 5, 1).labels(pool, model, ids, p, "test");
        long unsure = Arrays.stream(p.max(1).toDoubleVector()).filter(v -> v < 1).count();
        assertEquals(5 * unsure, model.augmentedRows.get());
        assertTrue(unsure > 0);
    }

    @Test
    void aPoolWithoutInputsIsRejectedWhenCopiesAreNeeded() {
        Pool pool = imagePool(10, 2, 2);
        LinearSoftmaxModel model = new LinearSoftmaxModel(16, 2, 5, 3.0, 2);
        int[] ids = pool.candidates();
        INDArray p = model.probabilities(pool, ids);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AugmentedPseudoLabels(ImageAugmenter.of(1, 4, 4), 1.0, 2, 1).labels(Pool.withoutInputs(10, 2),
                        model, ids, p, "Strategies.askNLearn(...)"));
        assertTrue(e.getMessage().contains("Strategies.askNLearn"), e.getMessage());
    }
}
