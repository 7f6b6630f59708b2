package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#marginMc()} keeps the strategy contract. */
class MarginMcStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.marginMc().withSeed(3);
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }
}
