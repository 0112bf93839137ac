/** Commands that write and read on-disk metadata: create-md, dump-md. */
package io.replicator.cli.command.metadata;
