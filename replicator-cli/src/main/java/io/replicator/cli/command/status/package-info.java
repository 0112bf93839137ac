/** Commands that act on a resource's state, read-only. */
package io.replicator.cli.command.status;
