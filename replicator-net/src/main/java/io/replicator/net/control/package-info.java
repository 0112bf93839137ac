/** The local control socket between the replicator CLI and its node daemon. */
package io.replicator.net.control;
