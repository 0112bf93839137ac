/** The node daemon's Prometheus endpoints: the resources' status as metric families, served over HTTP. */
package io.replicator.cli.metrics;
