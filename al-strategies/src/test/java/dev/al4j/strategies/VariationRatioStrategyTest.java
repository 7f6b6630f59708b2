package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#variationRatio()} keeps the strategy contract. */
class VariationRatioStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.variationRatio();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }
}
