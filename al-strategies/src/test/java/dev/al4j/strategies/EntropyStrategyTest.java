package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#entropy()} keeps the strategy contract. */
class EntropyStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.entropy();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }
}
