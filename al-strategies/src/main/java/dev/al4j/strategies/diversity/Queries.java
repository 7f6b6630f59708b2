package dev.al4j.strategies.diversity;

import dev.al4j.core.Capabilities;
import dev.al4j.core.Checks;
import dev.al4j.core.EmbeddingModel;
import dev.al4j.core.Model;
import dev.al4j.core.Pool;

/** The checks every diversity strategy runs at the start of {@code select}. */
final class Queries {

    private Queries() {}

    /** Checks the arguments and returns the model as an {@link EmbeddingModel}. */
    static EmbeddingModel begin(Pool pool, Model model, int budget, Object who) {
        Checks.checkNotNull(pool, "pool");
        Checks.checkNotNull(model, "model");
        Checks.checkNonNegative(budget, "budget");
        checkClasses(pool, model);
        return Capabilities.require(model, EmbeddingModel.class, who);
    }

    /** Checks that model and pool agree on the number of classes. */
    static void checkClasses(Pool pool, Model model) {
        Checks.checkArgument(model.numClasses() == pool.numClasses(), "model has %d classes but the pool has %d",
                model.numClasses(), pool.numClasses());
    }

    /** The parallelism to use: {@code configured}, or every available processor when it is 0. */
    static int threads(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /** Checks a {@code withParallelism} argument. */
    static int checkParallelism(int threads) {
        Checks.checkArgument(threads >= 1, "parallelism must be >= 1, found %d", threads);
        return threads;
    }
}
