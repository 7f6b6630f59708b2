package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#bald()} keeps the strategy contract. */
class BaldStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.bald();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }
}
