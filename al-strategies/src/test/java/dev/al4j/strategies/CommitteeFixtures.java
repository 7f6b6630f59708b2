package dev.al4j.strategies;

import dev.al4j.core.Model;
import dev.al4j.core.TestModels;
import java.util.ArrayList;
import java.util.List;

/** Committees of random precomputed models for tests. */
final class CommitteeFixtures {

    private CommitteeFixtures() {}

    /** {@code members} random models over {@code n} ids and {@code k} classes, a pure function of the seed. */
    static Committee committee(int n, int k, int members, long seed) {
        List<Model> models = new ArrayList<>();
        for (int c = 0; c < members; c++) {
            models.add(TestModels.random(n, k, 2, 1, seed * 31 + c));
        }
        return Committee.of(models);
    }
}
