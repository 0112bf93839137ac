/**
 * {@code replicator promoter}: automatic failover driven by the node daemon's event stream, configured by a
 * drbd-reactor promoter file. {@link io.replicator.cli.promoter.PromoterConfig} reads the file,
 * {@code EventView} folds the events2 lines into what each resource may do, {@code PromoterMachine} decides (pure),
 * {@code ShellServices} runs the start and stop lists, and {@link io.replicator.cli.promoter.Promoter} ties them
 * together on its two threads.
 */
package io.replicator.cli.promoter;
