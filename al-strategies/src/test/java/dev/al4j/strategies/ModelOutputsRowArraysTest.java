package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.AcquisitionFunction;
import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.RowArrays;
import dev.al4j.core.StochasticModel;
import dev.al4j.core.TestModels;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The strategies read a {@link PrecomputedModel}'s outputs through {@link RowArrays} (Java arrays gathered by the
 * model); before, they read {@code INDArray}s pulled by ND4J and copied them out. The same strategies on the same
 * arrays through the former path ({@link FormerPrecomputedModel}, a copy of the old model code, not
 * {@code RowArrays}) must give the same scores, bit for bit, and the same selections.
 */
class ModelOutputsRowArraysTest {

    private static final int N = 300;
    private static final int K = 7;
    private static final int T = 6;

    @Test
    void strategiesScoreAndSelectAsThroughTheFormerPath() {
        SplittableRandom random = new SplittableRandom(21);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray probs = Nd4j.create(TestModels.softmaxRows(N, K, 2.0, random)).castTo(type);
            INDArray mc = Nd4j.create(type, T, N, K);
            for (int t = 0; t < T; t++) {
                mc.putSlice(t, Nd4j.create(TestModels.softmaxRows(N, K, 2.0, random)).castTo(type));
            }
            PrecomputedModel fast = PrecomputedModel.builder(probs).mcProbabilities(mc).build();
            FormerPrecomputedModel former = new FormerPrecomputedModel(probs, mc);
            assertTrue(fast instanceof RowArrays);
            assertFalse((Object) former instanceof RowArrays);
            int[] labeled = random.ints(40, 0, N).distinct().toArray();
            Pool all = Pool.withoutInputs(N, K);
            Pool some = all.withLabels(labeled, IntStream.of(labeled).map(i -> i % K).toArray());
            int[] shuffled = shuffled(random);
            List<QueryStrategy> strategies = List.of(Strategies.entropy(), Strategies.margin(),
                    Strategies.leastConfidence(), Strategies.variationRatio(), Strategies.bald(), Strategies.meanStd(),
                    Strategies.entropyMc(), Strategies.marginMc(), Strategies.leastConfidenceMc(),
                    Strategies.variationRatioMc());
            for (QueryStrategy s : strategies) {
                for (Pool pool : new Pool[] {all, some}) {
                    String what = s + " on " + type + ", " + pool;
                    assertArrayEquals(s.select(pool, former, 25).ids(), s.select(pool, fast, 25).ids(), what);
                }
                if (s instanceof AcquisitionFunction f) {
                    String what = s + " on " + type;
                    assertArrayEquals(f.score(all, former, shuffled), f.score(all, fast, shuffled), what);
                    assertArrayEquals(f.score(all, former, new int[] {N - 1, 0}), f.score(all, fast,
                            new int[] {N - 1, 0}), what);
                }
            }
            // BatchBALD's cost grows with the budget (joint entropies): a small one.
            assertArrayEquals(Strategies.batchBald().select(some, former, 3).ids(),
                    Strategies.batchBald().select(some, fast, 3).ids(), "batchBald on " + type);
            // A committee of precomputed members reads every member through RowArrays.
            PrecomputedModel second = PrecomputedModel.of(Nd4j.create(TestModels.softmaxRows(N, K, 1.0, random))
                    .castTo(type));
            FormerPrecomputedModel secondFormer = new FormerPrecomputedModel(second.probabilities(all,
                    IntStream.range(0, N).toArray()), null);
            for (QueryStrategy s : List.of(Strategies.voteEntropy(), Strategies.consensusEntropy(),
                    Strategies.maxDisagreement())) {
                assertArrayEquals(s.select(some, Committee.of(former, secondFormer), 25).ids(),
                        s.select(some, Committee.of(fast, second), 25).ids(), s + " on " + type);
            }
        }
    }

    @Test
    void invalidRowsFromARowArraysModelGetTheCanonicalMessage() {
        float[] bad = {0.5f, 0.4f, 0.2f, 0.8f}; // row 0 sums to 0.9
        RowArraysModel model = new RowArraysModel(bad);
        Pool pool = Pool.withoutInputs(2, 2);
        IllegalArgumentException viaRows = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Strategies.entropy().score(pool, model, new int[] {0, 1}));
        IllegalArgumentException viaArrays = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Strategies.entropy().score(pool,
                        FixedOutputsModel.plain(2, Nd4j.create(bad, new long[] {2, 2}, 'c')), new int[] {0, 1}));
        org.junit.jupiter.api.Assertions.assertEquals(viaArrays.getMessage(), viaRows.getMessage());
        IllegalArgumentException passes = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Strategies.bald().score(pool, model, new int[] {0, 1}));
        assertTrue(passes.getMessage().contains("row 2 sums to"), passes.getMessage()); // pass 1, row 0
        IllegalArgumentException shape = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Strategies.entropy().score(pool, model, new int[] {0}));
        assertTrue(shape.getMessage().contains("1 rows of 2 classes"), shape.getMessage());
    }

    private static int[] shuffled(SplittableRandom random) {
        int[] ids = IntStream.range(0, N).toArray();
        for (int i = N - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = ids[i];
            ids[i] = ids[j];
            ids[j] = swap;
        }
        return ids;
    }

    /** A RowArrays model that returns fixed rows whatever it is asked (so the strategies' checks must catch them). */
    private static final class RowArraysModel implements StochasticModel, RowArrays {
        private final float[] rows;

        RowArraysModel(float[] rows) {
            this.rows = rows;
        }

        @Override
        public int numClasses() {
            return 2;
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            throw new AssertionError("the strategies read RowArrays");
        }

        @Override
        public int defaultPasses() {
            return 2;
        }

        @Override
        public INDArray stochasticProbabilities(Pool pool, int[] ids, int passes, long seed) {
            throw new AssertionError("the strategies read RowArrays");
        }

        @Override
        public float[] probabilityRows(Pool pool, int[] ids) {
            return rows.clone();
        }

        @Override
        public float[][] stochasticProbabilityRows(Pool pool, int[] ids, int passes, long seed) {
            return new float[][] {{0.5f, 0.5f, 0.1f, 0.9f}, rows.clone()};
        }
    }

    /** {@code PrecomputedModel}'s former reading path: {@code Nd4j.pullRows}, MC passes permuted once. */
    private static final class FormerPrecomputedModel implements StochasticModel {
        private final INDArray probabilities;
        private final INDArray samplesByRow;
        private final int passes;

        FormerPrecomputedModel(INDArray probabilities, INDArray mc) {
            this.probabilities = probabilities;
            if (mc == null) {
                this.samplesByRow = null;
                this.passes = 0;
            } else {
                this.passes = (int) mc.size(0);
                this.samplesByRow = mc.permute(1, 0, 2).dup('c').reshape('c', mc.size(1), passes * mc.size(2));
            }
        }

        @Override
        public int numClasses() {
            return (int) probabilities.columns();
        }

        @Override
        public boolean supports(Class<? extends dev.al4j.core.Model> capability) {
            return capability == StochasticModel.class ? samplesByRow != null : capability.isInstance(this);
        }

        @Override
        public INDArray probabilities(Pool pool, int[] ids) {
            return ids.length == 0 ? Nd4j.create(probabilities.dataType(), 0, probabilities.columns())
                    : Nd4j.pullRows(probabilities, 1, ids);
        }

        @Override
        public int defaultPasses() {
            return passes;
        }

        @Override
        public INDArray stochasticProbabilities(Pool pool, int[] ids, int t, long seed) {
            int k = numClasses();
            INDArray rows = Nd4j.pullRows(samplesByRow, 1, ids).reshape('c', ids.length, passes, k);
            INDArray first = rows.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t), NDArrayIndex.all());
            return first.permute(1, 0, 2).dup('c');
        }
    }
}
