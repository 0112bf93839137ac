/** The quickstart demo on the embedded default config. */
package io.replicator.cli.command.demo;
