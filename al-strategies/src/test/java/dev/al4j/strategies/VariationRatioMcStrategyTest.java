package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#variationRatioMc()} keeps the strategy contract. */
class VariationRatioMcStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.variationRatioMc();
    }

    // Not equivariant under relabelling: votes over 5 passes tie often; ties go to the lower id, which relabelling changes.
}
