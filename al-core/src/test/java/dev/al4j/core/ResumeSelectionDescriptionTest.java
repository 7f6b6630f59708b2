package dev.al4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A run resumes with a strategy whose settings differ only in what does not change a selection (its
 * {@link QueryStrategy#selectionDescription()} is the same, e.g. another thread count), and gives the run an
 * uninterrupted loop gives; a strategy that selects differently is refused.
 */
class ResumeSelectionDescriptionTest {

    private static final LoopFixture.Hooks NONE = new LoopFixture.Hooks() {};

    /** The fixture's least-confidence strategy, built "with" a thread count that only its toString shows. */
    private static QueryStrategy leastConfidence(int threads, String description) {
        QueryStrategy inner = new LoopFixture.LeastConfidence(NONE);
        return new QueryStrategy() {
            @Override
            public Selection select(Pool pool, Model model, int budget) {
                return inner.select(pool, model, budget);
            }

            @Override
            public String selectionDescription() {
                return description;
            }

            @Override
            public String toString() {
                return description + ".withParallelism(" + threads + ")";
            }
        };
    }

    @Test
    void anotherThreadCountResumesTheRunExactly() {
        String uninterrupted;
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 8).strategy(leastConfidence(1, "LC()")).build()) {
            uninterrupted = LoopFixture.describe(loop.run());
        }
        LabelStore store = LabelStore.inMemory();
        try (ActiveLearningLoop loop = LoopFixture.builder(NONE, 8).strategy(leastConfidence(1, "LC()"))
                .labelStore(store).build()) {
            for (int round = 0; round < 3; round++) {
                Query q = loop.nextQuery();
                loop.submit(Oracles.simulated(LoopFixture.truth()).label(q.ids()));
            }
        }
        try (ActiveLearningLoop resumed = LoopFixture.builder(NONE, 8).strategy(leastConfidence(2, "LC()"))
                .labelStore(store).build()) {
            assertEquals(uninterrupted, LoopFixture.describe(resumed.run()));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LoopFixture.builder(NONE, 8)
                .strategy(leastConfidence(1, "LC().withSomethingElse()")).labelStore(store).build());
        assertTrue(e.getMessage().contains("strategy"), e.getMessage());
    }
}
