/**
 * al4j's core: the types every module speaks, the active-learning loop, and the label store. It depends on ND4J's
 * API, Guava, SLF4J and SQLite's JDBC driver, not on Deeplearning4j, so a pipeline can embed it with any model.
 *
 * <h2>The API types</h2>
 * <ul>
 *   <li>Data: {@link dev.al4j.core.Pool} (ids, labels, candidates), {@link dev.al4j.core.PoolInputs} (its
 *       samples), {@link dev.al4j.core.TrainingData}, {@link dev.al4j.core.Augmenter} and
 *       {@link dev.al4j.core.ImageAugmenter}.</li>
 *   <li>Models and what they can do: {@link dev.al4j.core.Model} (probabilities),
 *       {@link dev.al4j.core.EmbeddingModel}, {@link dev.al4j.core.StochasticModel} (MC passes),
 *       {@link dev.al4j.core.InputModel}, {@link dev.al4j.core.Capabilities}, {@link dev.al4j.core.Predictions},
 *       {@link dev.al4j.core.PrecomputedModel} (outputs computed elsewhere, e.g. {@code .npy} files) and
 *       {@link dev.al4j.core.RowArrays} (its rows as Java arrays, copied or lent read-only as
 *       {@link dev.al4j.core.RowArrays.SharedRows}; package-private {@code RowTable} holds them);
 *       {@link dev.al4j.core.Learner} trains one.</li>
 *   <li>Choosing: {@link dev.al4j.core.QueryStrategy} returns a {@link dev.al4j.core.Selection};
 *       {@link dev.al4j.core.AcquisitionFunction} scores and {@link dev.al4j.core.TopK} picks the best scores.</li>
 *   <li>Labelling: {@link dev.al4j.core.Oracle} (with {@link dev.al4j.core.Oracles} and
 *       {@link dev.al4j.core.OracleException}), {@link dev.al4j.core.Query}, {@link dev.al4j.core.Answers},
 *       {@link dev.al4j.core.PseudoLabeler}.</li>
 *   <li>Measuring: {@link dev.al4j.core.Metric}, {@link dev.al4j.core.Progress}; argument checks with uniform
 *       messages: {@link dev.al4j.core.Checks}.</li>
 * </ul>
 *
 * <h2>The loop</h2>
 * {@link dev.al4j.core.ActiveLearningLoop}, built by {@link dev.al4j.core.LoopBuilder}, tells the round's story:
 * query, answers, fit, evaluation, stop. It reports to {@link dev.al4j.core.LoopListener}s and returns
 * {@link dev.al4j.core.RoundResult}s and a {@link dev.al4j.core.LoopResult} with a
 * {@link dev.al4j.core.StopReason}. Its package-private parts: {@code LoopSettings} (the checked options),
 * {@code LabelLedger} (the pool's labels, the budget spent, the outstanding query and its answers),
 * {@code OracleCaller} (timeout, retries, the one check of answers), {@code PseudoLabelRounds} and
 * {@code RunRestorer} (reads a stored run back for a resume).
 *
 * <h2>The label store</h2>
 * {@link dev.al4j.core.LabelStore} keeps every {@link dev.al4j.core.LabelRecord}, query and round result before the
 * loop goes on: {@link dev.al4j.core.SqliteLabelStore} durably (one file, survives a kill at any point), or in
 * memory. Package-private: {@code InMemoryLabelStore}, {@code InMemoryRun} and {@code RunConfiguration} (what must be equal to resume a run).
 *
 * <p>Array readers ({@code .npy}, IDX) are in {@link dev.al4j.core.io}.
 */
package dev.al4j.core;
