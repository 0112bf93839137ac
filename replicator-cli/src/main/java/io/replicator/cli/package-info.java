/** The replicator program: the root command and the options every command shares. */
package io.replicator.cli;
