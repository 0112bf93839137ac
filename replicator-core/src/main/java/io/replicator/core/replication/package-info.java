/**
 * Replication state machines, sans I/O: the Primary's {@link io.replicator.core.replication.TransferLog} (epochs,
 * barriers, completion by protocol A/B/C, out-of-sync marking when a peer is lost) and the Secondary's
 * {@link io.replicator.core.replication.ReplicaReceiver} (in-order apply, acks, barrier flush). They never touch a
 * socket or a clock: frames go out through {@link io.replicator.core.replication.ReplicationOutbox}, writes go to
 * a {@link io.replicator.core.replication.ReplicaTarget}, time is passed in.
 */
package io.replicator.core.replication;
