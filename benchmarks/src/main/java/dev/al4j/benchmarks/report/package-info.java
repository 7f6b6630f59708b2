/**
 * From JMH result files to the tables of {@code benchmarks/README.md}: {@link dev.al4j.benchmarks.report.JmhResult}
 * reads one entry of a {@code -rf json} file and {@link dev.al4j.benchmarks.report.ResultsToMarkdown} writes the
 * query-time table (beside the SCAL paper's units and the memory-bandwidth floor), the floor, the scaling table with
 * its growth exponents and heap bytes, the end-to-end round, and a generic table for any other benchmark.
 */
package dev.al4j.benchmarks.report;
