/** Commands about the configuration itself: {@code dump}. */
package io.replicator.cli.command.config;
