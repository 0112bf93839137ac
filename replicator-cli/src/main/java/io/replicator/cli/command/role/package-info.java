/** Commands that act on a resource's role. */
package io.replicator.cli.command.role;
