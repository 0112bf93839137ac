/** Commands: one class per verb, grouped by what they act on. */
package io.replicator.cli.command;
