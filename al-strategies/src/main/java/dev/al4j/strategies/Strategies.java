package dev.al4j.strategies;

/**
 * Factories for every query strategy in al-strategies. Each returns an immutable, thread-safe strategy whose
 * {@code toString()} echoes how to build it.
 *
 * <pre>{@code
 * Selection next = Strategies.entropy().select(pool, model, 1000);
 * }</pre>
 */
public final class Strategies {

    private Strategies() {}

    // --- random --------------------------------------------------------------------------------------------------

    // --- uncertainty (single model) ------------------------------------------------------------------------------

    // --- Bayesian (MC dropout) and committee ---------------------------------------------------------------------

    // --- diversity and hybrids -----------------------------------------------------------------------------------

    // --- the seed papers' methods --------------------------------------------------------------------------------
}
