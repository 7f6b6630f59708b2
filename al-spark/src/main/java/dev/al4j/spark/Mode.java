package dev.al4j.spark;

/** How a batch strategy runs on Spark. */
public enum Mode {
    /** The single-machine algorithm's result, pick by pick: one distributed job per pick. */
    EXACT,
    /** A composable approximation with a stated bound: a fixed, small number of distributed jobs. */
    SCALABLE
}
