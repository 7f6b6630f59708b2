package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.Pool;
import dev.al4j.core.PrecomputedModel;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;
import dev.al4j.core.Selection;
import dev.al4j.core.TestModels;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ContrastiveActiveLearningTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.contrastiveActiveLearning().withNeighbours(3);
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }

    /** Algorithm 1 by definition: full Euclidean distances, a stable sort, KL(p_neighbour || q) by loops. */
    static double[] naiveScores(double[][] z, double[][] q, double[][] lab, double[][] p, int k) {
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            int ii = i;
            double[] dist = new double[lab.length];
            for (int j = 0; j < lab.length; j++) {
                double s = 0;
                for (int c = 0; c < z[i].length; c++) {
                    s += (z[i][c] - lab[j][c]) * (z[i][c] - lab[j][c]);
                }
                dist[j] = Math.sqrt(s);
            }
            int[] nearest = IntStream.range(0, lab.length).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> dist[j]).thenComparingInt(j -> j))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            double total = 0;
            for (int j : nearest) {
                double kl = 0;
                for (int c = 0; c < p[j].length; c++) {
                    if (p[j][c] > 0) {
                        kl += p[j][c] * (Math.log(Math.max(p[j][c], 1e-12)) - Math.log(Math.max(q[ii][c], 1e-12)));
                    }
                }
                total += kl;
            }
            out[i] = total / nearest.length;
        }
        return out;
    }

    @Property(tries = 40)
    void scoresMatchTheNaiveDefinition(@ForAll @IntRange(min = 1, max = 12) int labeled,
            @ForAll @IntRange(min = 1, max = 15) int k, @ForAll @IntRange(min = 1, max = 5) int classes,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] z = FeatureSimilaritySamplingTest.gaussian(20, 5, r);
        double[][] lab = FeatureSimilaritySamplingTest.gaussian(labeled, 5, r);
        double[][] q = TestModels.softmaxRows(20, classes, 3.0, r);
        double[][] p = TestModels.softmaxRows(labeled, classes, 3.0, r);
        p[0] = new double[classes];
        p[0][0] = 1; // an exact one-hot neighbour: 0 log 0 terms
        q[0] = p[0].clone(); // and an exact zero in a candidate: the 1e-12 floor
        double[] naive = naiveScores(z, q, lab, p, k);
        double[] fast = ContrastiveActiveLearning.meanNeighbourKl(Nd4j.create(z), Nd4j.create(q), Nd4j.create(lab),
                Nd4j.create(p), k);
        assertArrayEquals(naive, fast, 1e-9);
        double[] fastFloat = ContrastiveActiveLearning.meanNeighbourKl(Nd4j.create(z).castTo(DataType.FLOAT),
                Nd4j.create(q).castTo(DataType.FLOAT), Nd4j.create(lab).castTo(DataType.FLOAT),
                Nd4j.create(p).castTo(DataType.FLOAT), k);
        for (int i = 0; i < naive.length; i++) {
            assertEquals(naive[i], fastFloat[i], 1e-4 * (1 + naive[i]));
        }
    }

    @Test
    void handCheckedScore() {
        // Labeled features 0, 1, 10 on a line; candidate at 0.4: its 2 nearest are the first two.
        // Neighbour predictions (0.5, 0.5) and (1, 0); candidate (0.8, 0.2).
        // KL((0.5, 0.5) || (0.8, 0.2)) = 0.5 ln(0.5/0.8) + 0.5 ln(0.5/0.2) = 0.5 ln(0.625) + 0.5 ln(2.5) = 0.22314
        // KL((1, 0) || (0.8, 0.2)) = ln(1/0.8) = 0.22314 as well; mean 0.22314 = 0.5 ln(1.5625) = ln(1.25).
        double[][] lab = {{0}, {1}, {10}};
        double[][] p = {{0.5, 0.5}, {1, 0}, {0, 1}};
        double[] s = ContrastiveActiveLearning.meanNeighbourKl(Nd4j.create(new double[][] {{0.4}}),
                Nd4j.create(new double[][] {{0.8, 0.2}}), Nd4j.create(lab), Nd4j.create(p), 2);
        assertEquals(Math.log(1.25), s[0], 1e-12);
        // Equal distances break toward the lower row: a candidate at 5.5 is 4.5 from both 1 and 10, with k = 1
        // the neighbour is row 1, (1, 0): KL((1, 0) || (0.8, 0.2)) = ln(1.25).
        s = ContrastiveActiveLearning.meanNeighbourKl(Nd4j.create(new double[][] {{5.5}}),
                Nd4j.create(new double[][] {{0.8, 0.2}}), Nd4j.create(lab), Nd4j.create(p), 1);
        assertEquals(Math.log(1.25), s[0], 1e-12);
    }

    @Test
    void selectPrefersCandidatesPredictedUnlikeTheirNeighbours() {
        // Labeled ids 0, 1 near x = 0 predicted class 0; candidates: id 2 near them predicted class 0 (agrees),
        // id 3 near them predicted class 1 (contrastive), id 4 far away near labeled id 5 predicted like it.
        double[][] emb = {{0}, {0.2}, {0.1}, {0.15}, {9.9}, {10}};
        double[][] probs = {{0.9, 0.1}, {0.9, 0.1}, {0.9, 0.1}, {0.1, 0.9}, {0.2, 0.8}, {0.2, 0.8}};
        PrecomputedModel model = PrecomputedModel.builder(probabilities(probs)).embeddings(Nd4j.create(emb)).build();
        Pool pool = Pool.withoutInputs(6, 2).withLabels(new int[] {0, 1, 5}, new int[] {0, 0, 1});
        Selection s = Strategies.contrastiveActiveLearning().withNeighbours(2).select(pool, model, 1);
        assertArrayEquals(new int[] {3}, s.ids());
    }

    @Test
    void needsALabeledSampleAndValidatesOptions() {
        Pool pool = Pool.withoutInputs(10, 2);
        PrecomputedModel model = TestModels.random(10, 2, 3, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.contrastiveActiveLearning().select(pool, model, 2));
        assertTrue(e.getMessage().contains("labeled"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.contrastiveActiveLearning().withNeighbours(0));
        assertTrue(e.getMessage().contains("neighbours") && e.getMessage().contains("0"), e.getMessage());
        assertEquals("Strategies.contrastiveActiveLearning()", Strategies.contrastiveActiveLearning().toString());
        assertEquals("Strategies.contrastiveActiveLearning().withNeighbours(5)",
                Strategies.contrastiveActiveLearning().withNeighbours(5).toString());
        assertEquals(Strategies.contrastiveActiveLearning(), Strategies.contrastiveActiveLearning().withNeighbours(10));
        assertEquals(10, Strategies.contrastiveActiveLearning().neighbours());
    }
}
