package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#leastConfidence()} keeps the strategy contract. */
class LeastConfidenceStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.leastConfidence();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }
}
