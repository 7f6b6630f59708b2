package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#leastConfidenceMc()} keeps the strategy contract. */
class LeastConfidenceMcStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.leastConfidenceMc();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }
}
