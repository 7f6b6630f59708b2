package dev.al4j.strategies;

import dev.al4j.core.Model;
import dev.al4j.core.Pool;
import dev.al4j.core.QueryStrategy;
import dev.al4j.core.QueryStrategyContract;

/**
 * {@link Strategies#maxDisagreement()} keeps the strategy contract on a committee of three random models. (The contract's
 * NaN and relabelling checks need a {@code PrecomputedModel}; {@code CommitteeStrategiesTest} covers them for
 * committees.)
 */
class MaxDisagreementStrategyTest extends QueryStrategyContract {

    @Override
    protected QueryStrategy strategy() {
        return Strategies.maxDisagreement();
    }

    @Override
    protected Model model(Pool pool, long seed) {
        return CommitteeFixtures.committee(pool.size(), pool.numClasses(), 3, seed);
    }
}
