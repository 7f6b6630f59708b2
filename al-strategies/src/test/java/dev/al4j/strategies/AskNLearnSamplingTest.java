package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.ImageAugmenter;
import dev.al4j.core.InputModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.Predictions;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class AskNLearnSamplingTest extends QueryStrategyContract {

    private static final ImageAugmenter AUGMENTER = ImageAugmenter.of(1, 4, 4).withMaxShift(1);

    /**
     * The contract's pools carry no inputs, so the contract runs with threshold 0 (every prediction trusted, no
     * augmented copy); the augmentation path is tested below on pools of images.
     */
    @Override
    protected QueryStrategy strategy() {
        return Strategies.askNLearn(AUGMENTER).withThreshold(0).withSeed(11);
    }

    @Override
    protected Model model(Pool pool, long seed) {
        return new PrecomputedInputModel(TestModels.random(pool.size(), pool.numClasses(), 8, 1, seed));
    }

    /** Precomputed outputs for pool ids; it is never asked about other inputs at threshold 0. */
    private static final class PrecomputedInputModel implements EmbeddingModel, InputModel {
        private final EmbeddingModel outputs;

        PrecomputedInputModel(EmbeddingModel outputs) {
            this.outputs = outputs;
        }

        @Override
        public int numClasses() {
            return outputs.numClasses();
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return outputs.probabilities(pool, ids);
        }

        @Override
        public INDArray probabilities(INDArray inputs) {
            throw new AssertionError("threshold 0 must not run augmented copies");
        }

        @Override
        public int embeddingSize() {
            return outputs.embeddingSize();
        }

        @Override
        public Predictions predict(Pool pool, int[] ids) {
            return outputs.predict(pool, ids);
        }
    }

    @Test
    void invalidOutputsAreRejected() {
        // The contract's NaN test needs a PrecomputedModel; here the same poisoned outputs behind an InputModel.
        Pool pool = pool(30, 3, 6, 12);
        EmbeddingModel poisoned = (EmbeddingModel) TestModels.poisoned(TestModels.random(30, 3, 8, 1, 12));
        assertThrows(IllegalArgumentException.class,
                () -> strategy().select(pool, new PrecomputedInputModel(poisoned), 5));
    }

    @Test
    void thresholdZeroIsBadge() {
        Pool pool = AugmentedPseudoLabelsTest.imagePool(120, 3, 4).withLabels(new int[] {0, 1, 2}, new int[] {0, 1, 2});
        LinearSoftmaxModel model = new LinearSoftmaxModel(16, 3, 6, 3.0, 4);
        Selection ask = Strategies.askNLearn(AUGMENTER).withThreshold(0).withSeed(5).select(pool, model, 15);
        Selection badge = Strategies.badge().withSeed(5).select(pool, model, 15);
        assertArrayEquals(badge.ids(), ask.ids());
        assertEquals(0, model.augmentedRows.get());
    }

    @Test
    void selectsBadgeOnTheAugmentedPseudoLabels() {
        Pool pool = AugmentedPseudoLabelsTest.imagePool(150, 3, 6).withLabels(new int[] {0, 1}, new int[] {0, 1});
        LinearSoftmaxModel model = new LinearSoftmaxModel(16, 3, 6, 3.0, 6);
        int[] candidates = pool.candidates();
        // Algorithm 1's labels by the naive one-at-a-time definition, handed to BADGE directly.
        int[] naive = AugmentedPseudoLabelsTest.naive(pool, model, candidates, AUGMENTER, 0.8, 4, 9);
        int[] argMax = LabeledAndCandidates.argMaxRows(model.probabilities(pool, candidates));
        assertNotEquals(java.util.Arrays.toString(argMax), java.util.Arrays.toString(naive),
                "the set-up must make some pseudo-labels differ from the argmax");
        Selection expected = Strategies.badge().withSeed(9).selectWithLabels(pool, model, 20, (ids, p) -> naive);
        Selection ask = Strategies.askNLearn(AUGMENTER).withThreshold(0.8).withAugmentations(4).withSeed(9)
                .select(pool, model, 20);
        assertArrayEquals(expected.ids(), ask.ids());
        assertArrayEquals(expected.scores().orElseThrow(), ask.scores().orElseThrow(), 0);
    }

    @Test
    void needsAnInputModelAndValidatesOptions() {
        Pool pool = pool(30, 3, 5, 1);
        PrecomputedModel precomputed = TestModels.random(30, 3, 4, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.askNLearn(AUGMENTER).select(pool, precomputed, 3));
        assertTrue(e.getMessage().contains("InputModel") && e.getMessage().contains("askNLearn"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Strategies.askNLearn(null));
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.askNLearn(AUGMENTER).withThreshold(1.5));
        assertTrue(e.getMessage().contains("threshold"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.askNLearn(AUGMENTER).withAugmentations(0));
        assertTrue(e.getMessage().contains("augmentations"), e.getMessage());
        assertEquals("Strategies.askNLearn(ImageAugmenter.of(1, 4, 4).withMaxShift(1)).withThreshold(0.5)"
                + ".withAugmentations(3).withSeed(7)",
                Strategies.askNLearn(AUGMENTER).withThreshold(0.5).withAugmentations(3).withSeed(7).toString());
        assertEquals("Strategies.askNLearn(ImageAugmenter.of(1, 4, 4).withMaxShift(1)).withSeed(0)",
                Strategies.askNLearn(AUGMENTER).toString());
        assertEquals(Strategies.askNLearn(AUGMENTER).withSeed(3), Strategies.askNLearn(AUGMENTER).withSeed(3));
        assertNotEquals(Strategies.askNLearn(AUGMENTER).withSeed(3), Strategies.askNLearn(AUGMENTER).withSeed(4));
    }

    @Test
    void badgeWithArgMaxLabelsIsBadge() {
        Pool pool = pool(80, 4, 10, 2);
        PrecomputedModel model = TestModels.random(80, 4, 6, 1, 2);
        Selection plain = Strategies.badge().withSeed(3).select(pool, model, 12);
        Selection labelled = Strategies.badge().withSeed(3).selectWithLabels(pool, model, 12,
                (ids, p) -> LabeledAndCandidates.argMaxRows(p));
        assertEquals(plain, labelled);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.badge().selectWithLabels(pool, model, 12, (ids, p) -> new int[ids.length - 1]));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.badge().selectWithLabels(pool, model, 12, (ids, p) -> {
                    int[] outOfRange = new int[ids.length];
                    java.util.Arrays.fill(outOfRange, 4); // K = 4: classes are 0..3
                    return outOfRange;
                }));
        assertTrue(e.getMessage().contains("labels[0]"), e.getMessage());
    }
}
