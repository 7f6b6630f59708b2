package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#meanStd()} keeps the strategy contract. */
class MeanStdStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.meanStd().withPasses(4);
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }
}
