package dev.al4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.nd4j.linalg.factory.Nd4j;

/** Invariants of WAAL's query score {@code λ·d − ½(‖log p‖₂ + ‖log p‖₁)} ({@link WaalSampling#scores}). */
class WaalScoreProperties {

    /** A probability row of {@code k} classes from raw positive weights. */
    private static double[] row(long seed, int k) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] p = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            p[c] = 0.01 + r.nextDouble();
            sum += p[c];
        }
        for (int c = 0; c < k; c++) {
            p[c] /= sum;
        }
        return p;
    }

    private static double score(double[] p, double d, double weight) {
        return WaalSampling.scores(Nd4j.createFromArray(new double[][] {p}), Nd4j.createFromArray(d), weight)[0];
    }

    @Property(tries = 200)
    void theUniformRowScoresHighestAndClassOrderDoesNotMatter(@ForAll long seed,
            @ForAll @IntRange(min = 2, max = 12) int k, @ForAll @DoubleRange(min = 0, max = 1) double d) {
        double[] p = row(seed, k);
        double[] uniform = new double[k];
        java.util.Arrays.fill(uniform, 1.0 / k);
        // the uncertainty term is smallest (the score largest) at the uniform distribution: K log K and √K log K
        assertTrue(score(uniform, d, 10) >= score(p, d, 10) - 1e-9);
        assertEquals(10 * d - 0.5 * (k * Math.log(k) + Math.sqrt(k) * Math.log(k)), score(uniform, d, 10), 1e-9);
        double[] reversed = new double[k];
        for (int c = 0; c < k; c++) {
            reversed[c] = p[k - 1 - c];
        }
        assertEquals(score(p, d, 10), score(reversed, d, 10), 1e-9);
    }

    @Property(tries = 200)
    void theScoreGrowsLinearlyWithTheCriticScore(@ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int k,
            @ForAll @DoubleRange(min = 0, max = 1) double d, @ForAll @DoubleRange(min = 0, max = 20) double weight) {
        double[] p = row(seed, k);
        assertEquals(weight * (1 - d), score(p, 1, weight) - score(p, d, weight), 1e-9);
    }
}
