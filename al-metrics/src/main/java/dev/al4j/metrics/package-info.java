/**
 * Measures and reports of active-learning experiments.
 *
 * <p>Per-round metrics the loop evaluates ({@link dev.al4j.metrics.Metrics#accuracy()},
 * {@link dev.al4j.metrics.Metrics#expectedCalibrationError()}, {@link dev.al4j.metrics.Metrics#brier()},
 * {@link dev.al4j.metrics.Metrics#negativeLogLikelihood()}), and the robustness metrics that run the round's model on
 * a set of their own ({@link dev.al4j.metrics.Metrics#oodAuroc}, {@link dev.al4j.metrics.Metrics#onShiftedData});
 * measures of whole experiments on plain arrays (AUBC,
 * F-acc, OOD AUROC, sampling bias, group accuracies, mean ± std, win–tie–loss), all on
 * {@link dev.al4j.metrics.Metrics}; and reports: {@link dev.al4j.metrics.ExperimentLog} writes one row per (strategy,
 * trial, round) to CSV and JSON Lines as rounds finish, {@link dev.al4j.metrics.ExperimentSummary} makes the
 * AUBC / F-acc / query-time table, and {@link dev.al4j.metrics.ExperimentCharts} draws the learning curves, sampling
 * bias, calibration error, query time and, when measured, the robustness measures as PNG and SVG with XChart.
 */
package dev.al4j.metrics;
