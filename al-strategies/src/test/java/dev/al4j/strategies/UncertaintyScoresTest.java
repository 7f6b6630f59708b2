package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Hand-computed values of every score in {@link UncertaintyScores}, and its input checks. Inputs are float32 (as
 * models give them), so values are compared to 1e-6.
 */
class UncertaintyScoresTest {

    private static final double EPS = 1e-6;
    private static final double LN2 = Math.log(2);

    /** Four rows over K = 3 classes. */
    private static INDArray fourRows() {
        return Nd4j.create(new float[][] {
            {0.7f, 0.2f, 0.1f},
            {1f, 0f, 0f},
            {1f / 3, 1f / 3, 1f / 3},
            {0.2f, 0.4f, 0.4f},
        });
    }

    @Test
    void entropyOfHandRows() {
        double[] h = UncertaintyScores.entropy(fourRows());
        // −(0.7 ln 0.7 + 0.2 ln 0.2 + 0.1 ln 0.1) = 0.7·0.356675 + 0.2·1.609438 + 0.1·2.302585 = 0.801819
        // −(1 ln 1 + 0 + 0) = 0, with 0·ln 0 = 0
        // uniform over 3: ln 3 = 1.098612
        // −(0.2 ln 0.2 + 2·0.4 ln 0.4) = 0.321888 + 0.8·0.916291 = 1.054920
        assertArrayEquals(new double[] {0.801819, 0.0, 1.098612, 1.054920}, h, EPS);
        assertEquals(0.0, h[1], 0.0, "a one-hot row has entropy exactly 0, not NaN");
    }

    @Test
    void marginOfHandRows() {
        // 1 − (p_(1) − p_(2)): 1 − (0.7 − 0.2) = 0.5; 1 − (1 − 0) = 0; 1 − (1/3 − 1/3) = 1; 1 − (0.4 − 0.4) = 1
        assertArrayEquals(new double[] {0.5, 0.0, 1.0, 1.0}, UncertaintyScores.margin(fourRows()), EPS);
    }

    @Test
    void leastConfidenceAndVariationRatioOfHandRows() {
        // 1 − p_(1): 1 − 0.7 = 0.3; 1 − 1 = 0; 1 − 1/3 = 2/3; 1 − 0.4 = 0.6
        double[] expected = {0.3, 0.0, 2.0 / 3, 0.6};
        assertArrayEquals(expected, UncertaintyScores.leastConfidence(fourRows()), EPS);
        assertArrayEquals(expected, UncertaintyScores.variationRatio(fourRows()), EPS);
    }

    @Test
    void oneClassRowsScoreZero() {
        // K = 1: the only class has probability 1; the runner-up of the margin is "no class" (probability 0).
        INDArray p = Nd4j.ones(DataType.FLOAT, 2, 1);
        assertArrayEquals(new double[] {0, 0}, UncertaintyScores.entropy(p), 0.0);
        assertArrayEquals(new double[] {0, 0}, UncertaintyScores.margin(p), 0.0);
        assertArrayEquals(new double[] {0, 0}, UncertaintyScores.leastConfidence(p), 0.0);
    }

    /**
     * T = 2 passes over two samples, K = 2. Sample 0: the passes disagree with certainty ([1, 0] then [0, 1]);
     * sample 1: both passes say [0.5, 0.5]. Both have the mean [0.5, 0.5], so only the Bayesian scores tell the
     * epistemic case (sample 0) from the aleatoric one (sample 1).
     */
    private static INDArray disagreeingPasses() {
        return Nd4j.create(new float[] {
            1f, 0f, 0.5f, 0.5f, // pass 0
            0f, 1f, 0.5f, 0.5f, // pass 1
        }, new long[] {2, 2, 2}, 'c');
    }

    @Test
    void bayesianScoresSeparateEpistemicFromAleatoric() {
        INDArray s = disagreeingPasses();
        // BALD: sample 0: H[0.5, 0.5] − mean(H[1, 0], H[0, 1]) = ln 2 − 0 = 0.693147;
        //       sample 1: ln 2 − mean(ln 2, ln 2) = 0
        assertArrayEquals(new double[] {LN2, 0}, UncertaintyScores.bald(s), EPS);
        // MeanSTD: sample 0: p_0 over passes is {1, 0}: mean 0.5, std 0.5; p_1 likewise: (0.5 + 0.5)/2 = 0.5;
        //          sample 1: no variation: 0
        assertArrayEquals(new double[] {0.5, 0}, UncertaintyScores.meanStd(s), EPS);
        // Scores of the mean [0.5, 0.5] for both: entropy ln 2, margin 1 − 0 = 1, least confidence 0.5
        assertArrayEquals(new double[] {LN2, LN2}, UncertaintyScores.entropyMc(s), EPS);
        assertArrayEquals(new double[] {1, 1}, UncertaintyScores.marginMc(s), EPS);
        assertArrayEquals(new double[] {0.5, 0.5}, UncertaintyScores.leastConfidenceMc(s), EPS);
        // Variation ratio: sample 0 votes class 0 then class 1: modal count 1, 1 − 1/2 = 0.5;
        //                  sample 1 ties within each pass, so both votes go to class 0: 1 − 2/2 = 0
        assertArrayEquals(new double[] {0.5, 0}, UncertaintyScores.variationRatioMc(s), EPS);
    }

    @Test
    void bayesianScoresOfThreeDistinctPasses() {
        // One sample, T = 3 passes over K = 3: [0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8].
        INDArray s = Nd4j.create(new float[] {0.6f, 0.3f, 0.1f, 0.2f, 0.5f, 0.3f, 0.1f, 0.1f, 0.8f},
                new long[] {3, 1, 3}, 'c');
        // mean = [0.3, 0.3, 0.4]; H[mean] = −(2·0.3 ln 0.3 + 0.4 ln 0.4) = 0.722384 + 0.366516 = 1.088900
        // per-pass entropies: 0.897946, 1.029653, 0.639032; their mean 0.855544; BALD = 1.088900 − 0.855544
        assertArrayEquals(new double[] {0.233356}, UncertaintyScores.bald(s), EPS);
        assertArrayEquals(new double[] {1.088900}, UncertaintyScores.entropyMc(s), EPS);
        // std over passes: class 0 {0.6, 0.2, 0.1} around 0.3: sqrt((0.09 + 0.01 + 0.04)/3) = 0.216025;
        // class 1 {0.3, 0.5, 0.1}: sqrt((0 + 0.04 + 0.04)/3) = 0.163299; class 2 {0.1, 0.3, 0.8} around 0.4:
        // sqrt((0.09 + 0.01 + 0.16)/3) = 0.294392; MeanSTD = (0.216025 + 0.163299 + 0.294392)/3 = 0.224572
        assertArrayEquals(new double[] {0.224572}, UncertaintyScores.meanStd(s), EPS);
        // margin of the mean: 1 − (0.4 − 0.3) = 0.9; least confidence: 1 − 0.4 = 0.6
        assertArrayEquals(new double[] {0.9}, UncertaintyScores.marginMc(s), EPS);
        assertArrayEquals(new double[] {0.6}, UncertaintyScores.leastConfidenceMc(s), EPS);
        // votes: class 0, class 1, class 2: modal count 1, 1 − 1/3
        assertArrayEquals(new double[] {2.0 / 3}, UncertaintyScores.variationRatioMc(s), EPS);
    }

    @Test
    void committeeScoresOfHandMembers() {
        // Three members over K = 3, two samples. Sample 0: [0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.5, 0.1, 0.4];
        // sample 1: all three say [0.8, 0.1, 0.1].
        List<INDArray> members = List.of(
                Nd4j.create(new float[][] {{0.6f, 0.3f, 0.1f}, {0.8f, 0.1f, 0.1f}}),
                Nd4j.create(new float[][] {{0.2f, 0.5f, 0.3f}, {0.8f, 0.1f, 0.1f}}),
                Nd4j.create(new float[][] {{0.5f, 0.1f, 0.4f}, {0.8f, 0.1f, 0.1f}}));
        // Vote entropy: sample 0 votes {0, 1, 0}: −(2/3 ln 2/3 + 1/3 ln 1/3) = 0.270310 + 0.366204 = 0.636514;
        // sample 1: unanimous, 0
        assertArrayEquals(new double[] {0.636514, 0}, UncertaintyScores.voteEntropy(members), EPS);
        // Consensus: sample 0: [1.3/3, 0.9/3, 0.8/3] = [0.433333, 0.3, 0.266667], entropy
        // 0.362374 + 0.361192 + 0.352468 = 1.076034; sample 1: H[0.8, 0.1, 0.1] = 0.178515 + 2·0.230259 = 0.639032
        assertArrayEquals(new double[] {1.076034, 0.639032}, UncertaintyScores.consensusEntropy(members), EPS);
        // Mean KL to the consensus, sample 0: KL(m1‖c) = 0.6 ln(0.6/0.433333) + 0.3 ln(0.3/0.3)
        // + 0.1 ln(0.1/0.266667) = 0.195254 + 0 − 0.098083 = 0.097171; KL(m2‖c) = 0.136110; KL(m3‖c) = 0.123875;
        // mean 0.119052. Sample 1: members equal the consensus, 0.
        assertArrayEquals(new double[] {0.119052, 0}, UncertaintyScores.maxDisagreement(members), EPS);
    }

    @Test
    void rowsAreRenormalisedWithinTheTolerance() {
        // [0.5005, 0.5] sums to 1.0005, within Checks.ROW_SUM_TOLERANCE = 1e-3: it is scored as [0.50025, 0.49975],
        // whose least-confidence score 0.49975 is in [0, 1 − 1/K] = [0, 0.5] and entropy below ln 2.
        INDArray p = Nd4j.create(new float[][] {{0.5005f, 0.5f}});
        assertEquals(1 - 0.5005 / 1.0005, UncertaintyScores.leastConfidence(p)[0], EPS);
        assertTrue(UncertaintyScores.entropy(p)[0] <= LN2);
    }

    @Test
    void viewsDoublesAndColumnMajorArraysScoreLikeTheirValues() {
        INDArray p = fourRows();
        double[] expected = UncertaintyScores.entropy(p);
        assertArrayEquals(expected, UncertaintyScores.entropy(p.castTo(DataType.DOUBLE)), 1e-7);
        assertArrayEquals(expected, UncertaintyScores.entropy(p.dup('f')), 0.0);
        assertArrayEquals(expected, UncertaintyScores.entropy(p.transpose().dup().transpose()), 0.0);
        // a view: rows 1..3 of a larger array, and a column window of a wider one
        INDArray tall = Nd4j.vstack(Nd4j.create(new float[][] {{0.1f, 0.1f, 0.8f}}), p);
        assertArrayEquals(expected, UncertaintyScores.entropy(tall.get(NDArrayIndex.interval(1, 5),
                NDArrayIndex.all())), 0.0);
        INDArray wide = Nd4j.hstack(Nd4j.zeros(DataType.FLOAT, 4, 2), p);
        assertArrayEquals(expected, UncertaintyScores.entropy(wide.get(NDArrayIndex.all(),
                NDArrayIndex.interval(2, 5))), 0.0);
        // a pass slice of a permuted [n, T, K] array
        INDArray s = disagreeingPasses();
        INDArray permuted = s.permute(1, 0, 2).dup('c').permute(1, 0, 2); // same values, other strides
        assertArrayEquals(UncertaintyScores.bald(s), UncertaintyScores.bald(permuted), 0.0);
    }

    @Test
    void emptyInputsGiveEmptyScores() {
        assertEquals(0, UncertaintyScores.entropy(Nd4j.create(DataType.FLOAT, 0, 3)).length);
        assertEquals(0, UncertaintyScores.bald(Nd4j.create(DataType.FLOAT, 2, 0, 3)).length);
    }

    @Test
    void invalidProbabilitiesAreRejectedNamingTheArgument() {
        assertRejected(p -> UncertaintyScores.entropy(p), Nd4j.create(new float[][] {{Float.NaN, 0.5f}}),
                "probabilities", "NaN");
        assertRejected(p -> UncertaintyScores.margin(p),
                Nd4j.create(new float[][] {{Float.POSITIVE_INFINITY, 0f}}), "probabilities", "infinity");
        assertRejected(p -> UncertaintyScores.leastConfidence(p), Nd4j.create(new float[][] {{0.5f, 0.5f},
            {0.6f, 0.6f}}), "probabilities", "row 1 sums to 1.2");
        assertRejected(p -> UncertaintyScores.entropy(p), Nd4j.create(new float[][] {{1.5f, -0.5f}}),
                "probabilities", "-0.5");
        assertRejected(p -> UncertaintyScores.entropy(p), Nd4j.create(DataType.FLOAT, 2, 2, 2), "probabilities",
                "[2, 2, 2]");
        assertRejected(p -> UncertaintyScores.entropy(p), Nd4j.create(DataType.FLOAT, 3, 0), "probabilities",
                "at least one class");
    }

    @Test
    void invalidSamplesAreRejectedNamingTheArgument() {
        INDArray nan = disagreeingPasses().dup();
        nan.putScalar(new long[] {1, 1, 0}, Double.NaN);
        assertRejected(s -> UncertaintyScores.bald(s), nan, "samples", "NaN");
        INDArray unnormalised = disagreeingPasses().dup();
        unnormalised.putScalar(new long[] {0, 1, 0}, 0.9);
        assertRejected(s -> UncertaintyScores.meanStd(s), unnormalised, "samples", "row 1 sums to 1.39");
        assertRejected(s -> UncertaintyScores.entropyMc(s), Nd4j.create(new float[][] {{0.5f, 0.5f}}), "samples",
                "[T, n, K]");
    }

    @Test
    void invalidMembersAreRejectedNamingTheMember() {
        INDArray good = Nd4j.create(new float[][] {{0.5f, 0.5f}, {1f, 0f}});
        INDArray nan = good.dup();
        nan.putScalar(1, 0, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UncertaintyScores.voteEntropy(List.of(good, nan)));
        assertTrue(e.getMessage().contains("members[1]") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> UncertaintyScores.consensusEntropy(List.of(good, Nd4j.create(new float[][] {{0.2f, 0.3f, 0.5f},
                    {1f, 0f, 0f}}))));
        assertTrue(e.getMessage().contains("members[1]") && e.getMessage().contains("columns (classes)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UncertaintyScores.maxDisagreement(List.of()));
        assertTrue(e.getMessage().contains("members"), e.getMessage());
    }

    private static void assertRejected(Function<INDArray, double[]> score, INDArray input, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> score.apply(input));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention " + fragment);
        }
    }
}
