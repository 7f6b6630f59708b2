package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OraclesTest {

    @Test
    void simulatedAnswersTheTruth() {
        Oracle oracle = Oracles.simulated(new int[] {2, 0, 1});
        Answers a = oracle.label(new int[] {2, 0});
        assertArrayEquals(new int[] {2, 0}, a.ids());
        assertArrayEquals(new int[] {1, 2}, a.labels());
        assertThrows(IndexOutOfBoundsException.class, () -> oracle.label(new int[] {3}));
    }

    @Test
    void noisyFlipsAboutTheRateAndRepeatsItself() {
        int n = 20_000;
        int[] truth = new int[n];
        Arrays.setAll(truth, i -> i % 4);
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> i);
        Oracle oracle = Oracles.noisy(truth, 4, 0.2, 11);
        int[] labels = oracle.label(ids).labels();
        int flipped = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] != truth[i]) {
                flipped++;
            }
        }
        // Binomial(20000, 0.2): mean 4000, sd ~57; 5 sd either side.
        assertEquals(4000, flipped, 300);
        // Same id, same answer, whatever order it is asked in.
        assertEquals(labels[123], oracle.label(new int[] {5, 123}).labels()[1]);
        assertNotEquals(Arrays.toString(labels), Arrays.toString(Oracles.noisy(truth, 4, 0.2, 12).label(ids)
                .labels()));
        assertArrayEquals(truth, Oracles.noisy(truth, 4, 0.0, 11).label(ids).labels());
        assertThrows(IllegalArgumentException.class, () -> Oracles.noisy(truth, 4, 1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Oracles.noisy(new int[] {4}, 4, 0.1, 1));
    }
}
