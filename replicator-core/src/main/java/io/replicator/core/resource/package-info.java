/**
 * One replicated resource on this node: its face ({@link io.replicator.core.resource.ResourceConductor}, commands in
 * and {@link io.replicator.core.resource.Outcome}s out), the parts that decide (pure: {@code PromotionRules},
 * {@code ConnectionLifecycle}, and in {@code core.generation} the handshake and sync deciders) and the parts that
 * carry the decisions out over the resource's state ({@code ResourceState} lists them), and the data path of a
 * Primary ({@link io.replicator.core.resource.VolumeIo}).
 *
 * <h2>Threads of a node, and what each owns</h2>
 * This is the one place the whole map is written down; ARCHITECTURE.md points here.
 * <ul>
 *   <li><b>Resource owner lane</b> ({@code resource NAME}, one per resource, from
 *       {@link io.replicator.core.resource.ResourceScheduler}): the single writer of the role, disk and connection
 *       states, generation ids and metadata writes, each peer's session and reports. Commands and peer events are
 *       handed to it; {@code call} waits for it (inline when already on it).</li>
 *   <li><b>Resource background lane</b> ({@code resource NAME resync}): the resync target's and verify's steps
 *       every 100 ms and their disk reads, Ahead → SyncSource checks, the lazy bitmap write-out, and the writes a
 *       Primary parked while it had no quorum, once quorum is back ({@link io.replicator.core.resource.VolumeIo}); it
 *       hands every state change back to the owner.</li>
 *   <li><b>Resource listeners lane</b> ({@code resource NAME events}): tells status, events and metrics listeners
 *       after a change, never from the owner (they take snapshots under their own locks).</li>
 *   <li><b>Netty event loops</b> (the transport's group; one loop per resource, see docs/protocol.md "Peer
 *       connections: threads"): peer sockets and, once attached, the resource's NBD connections. They decode and
 *       encode, hand acks straight to the {@link io.replicator.core.replication.TransferLog} (which completes the
 *       client's write there), apply small replicated writes inline when the receive thread is idle, and never
 *       block.</li>
 *   <li><b>Receive thread per peer session</b> ({@code receive NAME}, replicator-net): the data stream in order —
 *       reports, replicated writes through the {@link io.replicator.core.replication.ReplicaReceiver} onto
 *       {@code LocalReplicaTarget}, barriers, bitmaps, resync data. A <b>flusher</b> ({@code flush NAME}) runs a
 *       barrier's early flush when it covers much data.</li>
 *   <li><b>NBD I/O threads</b> ({@code nbd-io-N}, replicator-net): a Primary's writes and reads through
 *       {@link io.replicator.core.resource.VolumeIo}; the transfer log's lock orders them; the first write after a
 *       peer was lost waits for the owner to start a new generation. Without quorum a write does not wait here: it is
 *       parked (or fails), and its client's reply waits. After each flush it serves, the thread records in the
 *       superblock, unflushed, how far the Primary's writes got ({@code AttachedDisk.flushMark}; the metadata store
 *       is synchronized for this one writer besides the owner).</li>
 *   <li><b>Control threads</b> ({@code control-accept}, {@code control-request}, replicator-net) answer the CLI and
 *       call the conductor's commands; an NBD attach calls {@code primary} from its event loop (auto-promote), and
 *       the last detach's {@code secondary} runs on its own short-lived thread ({@code auto-demote NAME}), since
 *       demotion waits for writes whose acks arrive on that loop; <b>handler</b> threads (replicator-cli) run handler processes; the metrics
 *       endpoint has its own HTTP threads and only reads snapshots.</li>
 * </ul>
 * In the deterministic simulation every lane of every node runs on the simulation's one thread, in the order its
 * seeded scheduler picks; nothing in this package starts a thread, sleeps or reads the clock except through the
 * {@code ResourceScheduler}.
 */
package io.replicator.core.resource;
