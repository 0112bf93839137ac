/** End-to-end benchmark programs started by the scripts in {@code benchmarks/}. */
package io.replicator.benchmarks;
