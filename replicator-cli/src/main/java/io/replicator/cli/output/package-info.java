/** Exit codes, failures and the formats commands print. */
package io.replicator.cli.output;
