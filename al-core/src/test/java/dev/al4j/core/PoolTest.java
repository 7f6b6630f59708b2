package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class PoolTest {

    @Test
    void labelsAreCopyOnWrite() {
        Pool empty = Pool.withoutInputs(5, 3);
        Pool labeled = empty.withLabels(new int[] {4, 1}, new int[] {2, 0});
        assertEquals(0, empty.labeledCount());
        assertArrayEquals(new int[] {1, 4}, labeled.labeled());
        assertArrayEquals(new int[] {0, 2, 3}, labeled.unlabeled());
        assertArrayEquals(new int[] {0, 2, 3}, labeled.candidates());
        assertEquals(OptionalInt.of(2), labeled.label(4));
        assertEquals(OptionalInt.empty(), labeled.label(0));
        assertArrayEquals(new int[] {2, 0}, labeled.labelsOf(new int[] {4, 1}));
    }

    @Test
    void candidateSubsetIsSortedAndShrinksWhenLabeled() {
        Pool pool = Pool.withoutInputs(10, 2).withCandidates(new int[] {7, 2, 5});
        assertTrue(pool.hasCandidateSubset());
        assertArrayEquals(new int[] {2, 5, 7}, pool.candidates());
        Pool after = pool.withLabels(new int[] {5}, new int[] {1});
        assertArrayEquals(new int[] {2, 7}, after.candidates());
        assertEquals(9, after.withAllCandidates().candidates().length);
        assertFalse(after.withAllCandidates().hasCandidateSubset());
    }

    @Test
    void badInputGetsClearErrors() {
        Pool pool = Pool.withoutInputs(5, 3);
        IndexOutOfBoundsException out = assertThrows(IndexOutOfBoundsException.class,
                () -> pool.withLabels(new int[] {5}, new int[] {0}));
        assertTrue(out.getMessage().contains("[0, 5)") && out.getMessage().contains("found 5"), out.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> pool.withLabels(new int[] {1, 1}, new int[] {0, 0}));
        assertTrue(dup.getMessage().contains("found 1 twice"), dup.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> pool.withLabels(new int[] {1}, new int[] {3}));
        assertTrue(label.getMessage().contains("[0, 3)") && label.getMessage().contains("found 3"),
                label.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> pool.withLabels(new int[] {1}, new int[] {0, 1}));
        assertTrue(length.getMessage().contains("same length"), length.getMessage());
        IllegalArgumentException labeledCandidate = assertThrows(IllegalArgumentException.class,
                () -> pool.withLabels(new int[] {1}, new int[] {0}).withCandidates(new int[] {1}));
        assertTrue(labeledCandidate.getMessage().contains("unlabeled"), labeledCandidate.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Pool.withoutInputs(0, 3));
        assertTrue(empty.getMessage().contains("pool size") && empty.getMessage().contains("0"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pool.withoutInputs(3, 0));
        assertThrows(IllegalArgumentException.class, () -> pool.labelsOf(new int[] {0}));
        assertThrows(IllegalStateException.class, () -> pool.requireInputs("k-center"));
    }

    @Test
    void inputsAreReadByIdInTheOrderAsked() {
        // rows hold their own id: row i = [i, 10 i]
        double[][] x = new double[6][];
        for (int i = 0; i < 6; i++) {
            x[i] = new double[] {i, 10 * i};
        }
        Pool pool = Pool.of(PoolInputs.of(Nd4j.create(x)), 2);
        assertArrayEquals(new double[][] {{4, 40}, {1, 10}}, pool.requireInputs("t").rows(new int[] {4, 1})
                .toDoubleMatrix());
        // rank-3 inputs keep their sample shape
        PoolInputs images = PoolInputs.of(Nd4j.arange(24).reshape(6, 2, 2));
        assertArrayEquals(new long[] {2, 2}, images.sampleShape());
        assertArrayEquals(new long[] {2, 2, 2}, images.rows(new int[] {5, 0}).shape());
        assertEquals(20.0, images.rows(new int[] {5, 0}).getDouble(0, 0, 0), 0.0);
        assertThrows(IndexOutOfBoundsException.class, () -> images.rows(new int[] {6}));
    }
}
