package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#margin()} keeps the strategy contract. */
class MarginStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.margin();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }
}
