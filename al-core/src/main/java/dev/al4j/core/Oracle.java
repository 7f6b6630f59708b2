package dev.al4j.core;

/**
 * Whoever gives labels: a person, a service, or a simulation from ground truth ({@link Oracles}).
 *
 * <p>An oracle may answer only some of the ids (the others were skipped) and may fail with an
 * {@link OracleException}; the loop keeps every label it already received.
 */
@FunctionalInterface
public interface Oracle {

    /**
     * Labels the given pool ids.
     *
     * @throws OracleException when the call fails
     */
    Answers label(int[] ids);
}
