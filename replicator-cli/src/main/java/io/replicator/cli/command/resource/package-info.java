/** Commands that act on a resource's lifecycle: disks and connections. */
package io.replicator.cli.command.resource;
