package io.replicator.cli.command.demo;

/**
 * One node of the demo: its name in the embedded configuration and the loopback ports the demo chose for it.
 *
 * @param name        the {@code on NAME { }} section
 * @param peerPort    its {@code address}: where its peer connects
 * @param nbdPort     its {@code nbd-listen}: the NBD export while it is Primary
 * @param metricsPort its {@code metrics-listen}: the daemon's Prometheus endpoint
 */
record DemoNode(String name, int peerPort, int nbdPort, int metricsPort) {
    /** The export of {@code resource} on this node, in the form qemu-io and nbdinfo take. */
    String nbdUri(String resource) {
        return "nbd://127.0.0.1:" + nbdPort + "/" + resource;
    }

    /** Where this node's daemon serves its metrics. */
    String metricsUrl() {
        return "http://127.0.0.1:" + metricsPort + "/metrics";
    }
}
