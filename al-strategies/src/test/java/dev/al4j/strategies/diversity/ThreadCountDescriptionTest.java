package dev.al4j.strategies.diversity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.al4j.core.QueryStrategy;
import dev.al4j.strategies.Strategies;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The thread count shows in toString (how to build it) but not in the selection description a resume compares. */
class ThreadCountDescriptionTest {

    @Test
    void threadCountIsLeftOutOfTheSelectionDescription() {
        List<List<QueryStrategy>> pairs = List.of(
                List.of(Strategies.kCenterGreedy().withPcaDimensions(8).withParallelism(1),
                        Strategies.kCenterGreedy().withPcaDimensions(8).withParallelism(2)),
                List.of(Strategies.kMeans().withSeed(3).withParallelism(1),
                        Strategies.kMeans().withSeed(3).withParallelism(2)),
                List.of(Strategies.badge().withSeed(3).withParallelism(1),
                        Strategies.badge().withSeed(3).withParallelism(2)));
        for (List<QueryStrategy> p : pairs) {
            assertEquals(p.get(0).selectionDescription(), p.get(1).selectionDescription());
            assertNotEquals(p.get(0).toString(), p.get(1).toString());
            assertEquals(p.get(0).toString(), p.get(0).selectionDescription() + ".withParallelism(1)");
        }
        assertEquals("Strategies.kCenterGreedy().withPcaDimensions(8)",
                Strategies.kCenterGreedy().withPcaDimensions(8).withParallelism(4).selectionDescription());
        assertNotEquals(Strategies.badge().withSeed(3).selectionDescription(),
                Strategies.badge().withSeed(4).selectionDescription());
    }
}
