/** Commands that start, pause, resume or wait for a resync or an online verify. */
package io.replicator.cli.command.resync;
