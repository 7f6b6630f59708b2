package dev.al4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.PseudoLabeler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Ceal}: its threshold schedule and selection by hand, against a naive version, and its argument checks. */
class CealTest {

    /** Six candidates over K = 3 classes, under non-contiguous pool ids. */
    static final int[] IDS = {10, 3, 25, 7, 42, 18};

    static INDArray sixRows() {
        return Nd4j.create(new float[][] {
            {1f, 0f, 0f},       // id 10: H = 0 (0·ln 0 = 0), argmax 0
            {0.02f, 0.98f, 0f}, // id 3:  H = 0.02·3.912023 + 0.98·0.020203 = 0.098039, argmax 1
            {0.1f, 0f, 0.9f},   // id 25: H = 0.1·2.302585 + 0.9·0.105361 = 0.325083, argmax 2
            {0.5f, 0.5f, 0f},   // id 7:  H = ln 2 = 0.693147, argmax 0 (a tie goes to the lower class)
            {1f / 3, 1f / 3, 1f / 3}, // id 42: H = ln 3 = 1.098612, argmax 0
            {0.1f, 0.1f, 0.8f}, // id 18: H = 2·0.1·2.302585 + 0.8·0.223144 = 0.639032, argmax 2
        });
    }

    @Test
    void thresholdScheduleByHand() {
        // δ_0 = 0.75 and r = 0.125 are exact in binary: δ_t = 0.75 − 0.125·(t − 1), clamped at 0.
        Ceal ceal = Strategies.ceal().withThreshold(0.75).withDecay(0.125);
        double[] expected = {0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0.0, 0.0, 0.0};
        for (int t = 1; t <= expected.length; t++) {
            assertEquals(expected[t - 1], ceal.threshold(t), 0.0, "round " + t);
            assertEquals(expected[t - 1] > 0, ceal.isActive(t), "round " + t);
        }
        // The defaults, seed 003 appendix D.2: δ = 1e-5 nats in every round (decay 0).
        Ceal defaults = Strategies.ceal();
        for (int t : new int[] {1, 2, 16, 17, 1000}) {
            assertEquals(1e-5, defaults.threshold(t), 0.0, "round " + t);
            assertTrue(defaults.isActive(t), "round " + t);
        }
        // Wang et al.'s decaying schedule: 0.005 − 0.00033·(t − 1); round 16 is the last above 0
        // (0.005 − 15·0.00033 = 0.00005), round 17 would be 0.005 − 16·0.00033 = −0.00028, clamped to 0.
        Ceal wang = Strategies.ceal().withThreshold(0.005).withDecay(0.00033);
        assertEquals(0.005, wang.threshold(1), 0.0);
        assertEquals(0.00467, wang.threshold(2), 1e-15);
        assertEquals(0.00005, wang.threshold(16), 1e-15);
        assertTrue(wang.isActive(16));
        assertEquals(0.0, wang.threshold(17), 0.0);
        assertFalse(wang.isActive(17));
        // A decay of 0 keeps the threshold constant.
        assertEquals(0.3, Strategies.ceal().withThreshold(0.3).withDecay(0).threshold(1000), 0.0);
    }

    @Test
    void selectionByHandRoundByRound() {
        Ceal ceal = Strategies.ceal().withThreshold(0.75).withDecay(0.125);
        // round 1, δ = 0.75: every row but the uniform one (ln 3 = 1.0986); id 7 (ln 2 = 0.6931 < 0.75) gets class 0
        assertLabels(new int[] {10, 3, 25, 7, 18}, new int[] {0, 1, 2, 0, 2}, ceal.label(1, IDS, sixRows()));
        // rounds 2 to 4, δ = 0.625, 0.5, 0.375: entropies 0, 0.0980, 0.3251 (0.6390 of id 18 is above 0.625)
        for (int t = 2; t <= 4; t++) {
            assertLabels(new int[] {10, 3, 25}, new int[] {0, 1, 2}, ceal.label(t, IDS, sixRows()));
        }
        // rounds 5 and 6, δ = 0.25, 0.125: entropies 0 and 0.0980
        for (int t = 5; t <= 6; t++) {
            assertLabels(new int[] {10, 3}, new int[] {0, 1}, ceal.label(t, IDS, sixRows()));
        }
        // round 7, δ = 0: H < 0 never holds, not even for the one-hot row (the test is strict)
        assertLabels(new int[0], new int[0], ceal.label(7, IDS, sixRows()));
        assertLabels(new int[0], new int[0], Strategies.ceal().withThreshold(0).label(1, IDS, sixRows()));
        // The default δ = 1e-5 takes only the one-hot row here (id 3's 0.098 is far above), in any round.
        assertLabels(new int[] {10}, new int[] {0}, Strategies.ceal().label(1, IDS, sixRows()));
        assertLabels(new int[] {10}, new int[] {0}, Strategies.ceal().label(50, IDS, sixRows()));
        // Just below and just above 1e-5 nats, K = 2: H(1 − ε, ε) = −(1 − ε)·ln(1 − ε) − ε·ln ε, which is
        // 6.29e-6 for ε = 4e-7 (below) and 1.48e-5 for ε = 1e-6 (above), also after rounding to float.
        INDArray edge = Nd4j.create(new double[][] {{1 - 4e-7, 4e-7}, {1e-6, 1 - 1e-6}});
        assertLabels(new int[] {5}, new int[] {0}, Strategies.ceal().label(3, new int[] {5, 6}, edge));
        // No candidates, no pseudo-labels.
        assertSame(PseudoLabeler.Labels.none(), ceal.label(1, new int[0], Nd4j.create(DataType.FLOAT, 0, 3)));
    }

    private static void assertLabels(int[] ids, int[] classes, PseudoLabeler.Labels actual) {
        assertArrayEquals(ids, actual.ids());
        assertArrayEquals(classes, actual.labels());
    }

    /** The definition, one row at a time, in double precision from the same float inputs. */
    static List<int[]> naive(double delta, int[] ids, float[][] p) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            double sum = 0;
            for (float v : p[i]) {
                sum += v;
            }
            double h = 0;
            int best = 0;
            for (int c = 0; c < p[i].length; c++) {
                double q = p[i][c] / sum;
                h -= q > 0 ? q * Math.log(q) : 0;
                best = p[i][c] > p[i][best] ? c : best;
            }
            if (h < delta) {
                out.add(new int[] {ids[i], best});
            }
        }
        return out;
    }

    @Test
    void equalsTheNaiveDefinitionOnRandomSharpRows() {
        SplittableRandom random = new SplittableRandom(5);
        int compared = 0;
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + random.nextInt(60);
            int k = 2 + random.nextInt(9);
            float[][] p = new float[n][k];
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = 3 * i + random.nextInt(3); // distinct, ascending, with gaps
                // a softmax of logits with a random sharpness, so that entropies span [0, ln K]
                double scale = Math.pow(10, 2 * random.nextDouble());
                double[] z = new double[k];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    z[c] = scale * random.nextDouble();
                    max = Math.max(max, z[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    z[c] = Math.exp(z[c] - max);
                    sum += z[c];
                }
                for (int c = 0; c < k; c++) {
                    p[i][c] = (float) (z[c] / sum);
                }
            }
            Ceal ceal = Strategies.ceal().withThreshold(0.05 + random.nextDouble()).withDecay(0.05);
            int round = 1 + random.nextInt(5);
            PseudoLabeler.Labels actual = ceal.label(round, ids, Nd4j.create(p));
            List<int[]> expected = naive(ceal.threshold(round), ids, p);
            assertArrayEquals(expected.stream().mapToInt(e -> e[0]).toArray(), actual.ids(), "trial " + trial);
            assertArrayEquals(expected.stream().mapToInt(e -> e[1]).toArray(), actual.labels(), "trial " + trial);
            compared += expected.size();
        }
        assertTrue(compared > 100, "the rows were sharp enough to pseudo-label many: " + compared);
    }

    @Test
    void badArgumentsAreRefusedWithClearMessages() {
        Ceal ceal = Strategies.ceal();
        assertMessage("threshold (δ_0, an entropy in nats) must be finite and >= 0, found -0.001",
                () -> ceal.withThreshold(-0.001));
        assertMessage("threshold (δ_0, an entropy in nats) must be finite and >= 0, found NaN",
                () -> ceal.withThreshold(Double.NaN));
        assertMessage("threshold (δ_0, an entropy in nats) must be finite and >= 0, found Infinity",
                () -> ceal.withThreshold(Double.POSITIVE_INFINITY));
        assertMessage("decay (r, nats per round) must be finite and >= 0, found -1.0", () -> ceal.withDecay(-1));
        assertMessage("decay (r, nats per round) must be finite and >= 0, found NaN",
                () -> ceal.withDecay(Double.NaN));
        assertMessage("round must be >= 1 (the first query round), found 0", () -> ceal.threshold(0));
        assertMessage("round must be >= 1 (the first query round), found 0", () -> ceal.label(0, IDS, sixRows()));
        INDArray withNaN = sixRows();
        withNaN.putScalar(2, 1, Float.NaN);
        assertMessage("probabilities must not contain NaN, found NaN at row 2, column 1",
                () -> ceal.label(1, IDS, withNaN));
        assertMessage("probabilities must have 5 rows, found 6", () -> ceal.label(1, new int[] {1, 2, 3, 4, 5},
                sixRows()));
        assertMessage("ids must not repeat, found 3 twice", () -> Strategies.ceal().withThreshold(2).label(1,
                new int[] {10, 3, 25, 3, 42, 18}, sixRows()));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void immutableValueThatEchoesHowItWasBuilt() {
        Ceal ceal = Strategies.ceal();
        assertEquals("Strategies.ceal()", ceal.toString());
        assertEquals(Ceal.DEFAULT_THRESHOLD, ceal.threshold(), 0.0);
        assertEquals(Ceal.DEFAULT_DECAY, ceal.decay(), 0.0);
        Ceal tuned = ceal.withThreshold(0.01);
        assertEquals("Strategies.ceal().withThreshold(0.01)", tuned.toString());
        assertEquals("Strategies.ceal()", ceal.toString(), "withX leaves the original as it was");
        assertEquals("Strategies.ceal().withThreshold(0.75).withDecay(0.125)",
                ceal.withThreshold(0.75).withDecay(0.125).toString());
        assertEquals("Strategies.ceal().withDecay(3.3E-4)", ceal.withDecay(0.00033).toString()); // a Java literal
        assertEquals("Strategies.ceal()", ceal.withDecay(0).withThreshold(1e-5).toString(), "the defaults");
        assertEquals(1e-5, Ceal.DEFAULT_THRESHOLD, 0.0, "seed 003, appendix D.2");
        assertEquals(0.0, Ceal.DEFAULT_DECAY, 0.0, "seed 003 states no decay");
        assertEquals(ceal, ceal.withThreshold(0.01).withThreshold(1e-5));
        assertEquals(ceal.hashCode(), ceal.withDecay(1).withDecay(0).hashCode());
        assertNotEquals(ceal, tuned);
        assertNotEquals(ceal.withDecay(0.001), ceal);
    }
}
