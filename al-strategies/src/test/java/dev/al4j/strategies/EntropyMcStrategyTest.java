package dev.al4j.strategies;

import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/** {@link Strategies#entropyMc()} keeps the strategy contract. */
class EntropyMcStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.entropyMc();
    }

    @Override
    protected boolean equivariantUnderRelabelling() {
        return true;
    }
}
