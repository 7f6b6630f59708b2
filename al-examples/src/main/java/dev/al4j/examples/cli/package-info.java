/**
 * The {@code al4j} command-line tool (picocli), documented in {@code docs/cli.md}: {@link dev.al4j.examples.cli.Al4j}
 * is the entry point and its sub-commands are {@code run} (an experiment: strategies compared over trials on
 * Fashion-MNIST or the user's data, with reports), {@code select} (one query on {@code .npy} model outputs computed
 * elsewhere, printed as JSON), {@code metrics} (accuracy, ECE, Brier, NLL of saved predictions), {@code label} (a
 * person labels in the browser while the model learns, served by {@code dev.al4j.label}) and {@code report} (one
 * report from several runs). The strategies are known by their names in {@code Dl4jStrategies.catalog()}; this
 * package adds only the command line's strategy options and the learners by name. Package-private: the commands are
 * the public contract, not their classes.
 */
package dev.al4j.examples.cli;
