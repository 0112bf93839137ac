/**
 * The report of {@code benchmarks/run-all.sh}: the end-to-end scripts' results collected into one JSON file
 * ({@link io.replicator.benchmarks.report.Results}), rendered as Markdown tables between marker comments of
 * {@code docs/benchmarks.md} ({@link io.replicator.benchmarks.report.DocUpdater}) and as PNG bar charts
 * ({@link io.replicator.benchmarks.report.ChartWriter}). Entry point: {@link io.replicator.benchmarks.report.ReportMain}.
 */
package io.replicator.benchmarks.report;
