/**
 * A plain NBD client that proves acknowledged writes survive: it keeps several writes in flight, records when each
 * was sent and acknowledged, and a deterministic write workload checks a volume afterwards against what was
 * acknowledged. The crash tests and {@code replicator demo} use it; the server is {@link io.replicator.net.nbd}.
 */
package io.replicator.net.nbd.client;
