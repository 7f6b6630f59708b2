package dev.al4j.core;

/**
 * Whoever gives labels: a person, a service, or a simulation from ground truth ({@link Oracles}).
 *
 * <p>An oracle may answer only some of the ids (the others were skipped) and may fail with an
 * {@link OracleException}; the loop keeps every label it already received. Retries with backoff and a time limit
 * per call are options of the loop ({@link LoopBuilder#oracleRetries} and
 * {@link LoopBuilder#oracleTimeout}), so that every answer received between two attempts is stored at
 * once; an oracle stays a plain function of the ids.
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
