package dev.al4j.strategies;

import dev.al4j.core.Pool;
import dev.al4j.core.StochasticModel;
import dev.al4j.strategies.internal.QueryOutputs;

/** Reads a model's passes as the strategies do, for tests. */
final class QueryOutputsFixture {

    private QueryOutputsFixture() {}

    /** The {@code defaultPasses()} passes of {@code model} over {@code ids}, as row-major floats per pass. */
    static float[][] passes(Pool pool, StochasticModel model, int[] ids) {
        return QueryOutputs.passes(pool, model, ids, model.defaultPasses(), 0, "passes");
    }
}
