/**
 * The quickstart demo: two real node daemons from the embedded two-node config, a SIGKILL of the Primary under
 * writes, failover, failback with a bitmap resync, and the proof that no acknowledged write was lost.
 */
package io.replicator.cli.command.demo;
