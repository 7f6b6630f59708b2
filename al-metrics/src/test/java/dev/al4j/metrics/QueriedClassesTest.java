package dev.al4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.core.LabelRecord;
import dev.al4j.core.LabelRecord.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueriedClassesTest {

    private static List<LabelRecord> trial(int[][] labelsPerRound, int firstRound) {
        List<LabelRecord> records = new ArrayList<>();
        int id = 0;
        for (int r = 0; r < labelsPerRound.length; r++) {
            for (int label : labelsPerRound[r]) {
                records.add(new LabelRecord(firstRound + r, id++, label, Source.ORACLE, "oracle", Instant.EPOCH));
            }
        }
        return records;
    }

    @Test
    void sharesPerQueryAreCountedByHandAndAveragedOverTrials() {
        // trial 1: query 1 = {8, 9, 0, 1} → 2/4; query 2 = {9, 2} → 1/2; trial 2: query 1 = {0, 0} → 0; query 2 absent
        List<LabelRecord> first = new ArrayList<>(trial(new int[][] {{8, 9, 0, 1}, {9, 2}}, 3));
        first.add(new LabelRecord(4, 99, 8, Source.PSEUDO, "model", Instant.EPOCH)); // not a query answer
        QueriedClasses shares = QueriedClasses.of(new int[] {9, 8})
                .withTrial("pal", first)
                .withTrial("pal", trial(new int[][] {{0, 0}}, 0))
                .withTrial("random", trial(new int[][] {{1, 9}, {8, 8}}, 1));
        assertEquals(0.25, shares.share("pal", 1).mean(), 1e-12);
        assertEquals(2, shares.share("pal", 1).count());
        assertEquals(0.5, shares.share("pal", 2).mean(), 1e-12);
        assertEquals(1, shares.share("pal", 2).count());
        assertEquals(1.0, shares.share("random", 2).mean(), 1e-12);
        assertEquals(2, shares.queries());
        assertEquals(List.of("pal", "random"), shares.strategies());
        assertEquals("""
                Share of classes 8, 9 among the oracle's answers to each query, mean over trials (pal 2, random 1):

                | Query | pal | random |
                |---:|---:|---:|
                | 1 | 0.250 | 0.500 |
                | 2 | 0.500 | 1.000 |
                """, shares.toMarkdown());
    }

    @Test
    void aTrialThatStoppedEarlyLeavesItsLaterCellsEmpty() {
        QueriedClasses shares = QueriedClasses.of(new int[] {1})
                .withTrial("a", trial(new int[][] {{1}}, 0))
                .withTrial("b", trial(new int[][] {{0}, {1}}, 0));
        assertTrue(shares.toMarkdown().contains("| 2 |  | 1.000 |"), shares.toMarkdown());
        assertThrows(IllegalArgumentException.class, () -> shares.share("a", 2));
    }

    @Test
    void badArgumentsAreRefusedWithAMessage() {
        assertEquals("classes must differ, found 3 twice",
                assertThrows(IllegalArgumentException.class, () -> QueriedClasses.of(new int[] {3, 3})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> QueriedClasses.of(new int[0]));
        assertThrows(IllegalArgumentException.class, () -> QueriedClasses.of(new int[] {-1}));
        QueriedClasses none = QueriedClasses.of(new int[] {0});
        List<LabelRecord> pseudoOnly = List.of(new LabelRecord(0, 1, 0, Source.PSEUDO, "m", Instant.EPOCH));
        assertEquals("the records of a trial of x hold no oracle answer",
                assertThrows(IllegalArgumentException.class, () -> none.withTrial("x", pseudoOnly)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> none.share("y", 1));
    }

    @Test
    void equalSharesAreEqual() {
        QueriedClasses a = QueriedClasses.of(new int[] {1}).withTrial("s", trial(new int[][] {{1, 0}}, 0));
        QueriedClasses b = QueriedClasses.of(new int[] {1}).withTrial("s", trial(new int[][] {{0, 1}}, 2));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }
}
