package io.replicator.cli.daemon;

import io.replicator.core.config.VolumeConfig;
import io.replicator.core.resource.ResourceConductor;
import io.replicator.core.state.Role;
import io.replicator.net.nbd.NbdExport;
import io.replicator.net.nbd.NbdExports;
import io.replicator.net.nbd.ReplicatedVolumeBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The NBD exports of one resource: one per volume ({@code RES} for volume 0, {@code RES/N} for volume N), offered
 * only while this node is Primary. A Secondary refuses the attach at the handshake (NBD_REP_ERR_UNKNOWN with the
 * reason), rather than offering a read-only device that would go stale under the Primary's writes.
 *
 * <p>{@code auto-promote} (DRBD's default, yes): a client that attaches to a Secondary promotes it when it may (as
 * {@code primary} without {@code --force} would: good data, no Primary among its peers, quorum); when it may not,
 * the attach is refused with the reason. The last client of an auto-promoted node to go demotes it again; a node
 * promoted by {@code primary} stays Primary until {@code secondary}. One instance per resource: it counts the
 * clients.
 */
final class ResourceExports implements NbdExports {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ResourceExports.class);
    private final ResourceConductor conductor;
    private final String node;
    /** Clients attached through {@link #attach} and not yet detached. */
    private final java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether this node is Primary because a client attached (and not by {@code primary}). */
    private volatile boolean autoPromoted;
    /** Why the last auto-promotion on this thread was refused (the handshake asks {@link #whyNot} right after). */
    private final ThreadLocal<String> refusal = ThreadLocal.withInitial(() -> "");
    /** How often an auto-promotion is tried again within {@code auto-promote-timeout}. */
    private static final long RETRY_MS = 100;

    ResourceExports(ResourceConductor conductor, String node) {
        this.conductor = conductor;
        this.node = node;
    }

    @Override
    public Optional<NbdExport> attach(String name) {
        refusal.set("");
        Optional<NbdExport> found = find(name);
        String wanted = name.isEmpty() ? conductor.name() : name;
        if (found.isEmpty() && names().contains(wanted) && conductor.config().options().autoPromote()
            && conductor.role() == Role.SECONDARY) {
            var promoted = promoteWithin(conductor.config().options().autoPromoteTimeoutMs());
            if (promoted.ok()) {
                autoPromoted = true;
                LOG.info("{}: promoted by auto-promote: an NBD client attached to {}", conductor.name(), wanted);
                found = find(name);
            } else {
                refusal.set(promoted.message().replace('\n', ' '));
            }
        }
        found.ifPresent(export -> clients.incrementAndGet());
        return found;
    }

    /**
     * {@code primary}, tried again every {@link #RETRY_MS} until it succeeds or {@code auto-promote-timeout} passed
     * (DRBD's open waits as long): a promotion refused for a moment — a peer's role report or a concurrent vote on
     * its way — does not fail the client's attach.
     */
    private io.replicator.core.resource.Outcome promoteWithin(long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        var promoted = conductor.primary(false);
        while (!promoted.ok() && conductor.role() == Role.SECONDARY && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
            promoted = conductor.primary(false);
        }
        return promoted;
    }

    @Override
    public void detached(NbdExport export) {
        if (clients.decrementAndGet() == 0 && autoPromoted) {
            autoPromoted = false;
            // Not on the event loop that saw the close: demotion waits for the writes in flight, whose acks arrive
            // on that loop.
            Thread demoter = new Thread(() -> {
                var demoted = conductor.secondary();
                if (demoted.ok()) {
                    LOG.info("{}: demoted by auto-promote: its last NBD client detached", conductor.name());
                } else {
                    LOG.warn("{}: auto-promote could not demote after the last NBD client: {}", conductor.name(),
                        demoted.message());
                }
            }, "auto-demote " + conductor.name());
            demoter.setDaemon(true);
            demoter.start();
        }
    }

    /** The export name of {@code volume}. */
    static String exportName(String resource, int volume) {
        return volume == 0 ? resource : resource + "/" + volume;
    }

    /** Every export name the resource can have, served or not. */
    List<String> names() {
        return conductor.self().volumes().stream().map(v -> exportName(conductor.name(), v.number())).toList();
    }

    @Override
    public List<NbdExport> list() {
        List<NbdExport> exports = new ArrayList<>();
        for (VolumeConfig volume : conductor.self().volumes()) {
            conductor.io(volume.number()).ifPresent(io -> exports.add(new NbdExport(
                exportName(conductor.name(), volume.number()),
                "replicator " + conductor.name() + " volume " + volume.number() + " on " + node + " (Primary)",
                new ReplicatedVolumeBackend(io), false)));
        }
        return exports;
    }

    @Override
    public Optional<NbdExport> find(String name) {
        String wanted = name.isEmpty() ? conductor.name() : name;
        return list().stream().filter(export -> export.name().equals(wanted)).findFirst();
    }

    @Override
    public String whyNot(String name) {
        String wanted = name.isEmpty() ? conductor.name() : name;
        if (!names().contains(wanted)) {
            return "no export named '" + wanted + "' here (exports of " + conductor.name() + ": "
                + String.join(", ", names()) + ")";
        }
        if (conductor.role() != Role.PRIMARY) {
            String refused = refusal.get();
            return conductor.name() + " is Secondary on node " + node + (refused.isEmpty() ? ""
                : " and auto-promote may not promote it (" + refused + ")") + ": promote it with 'replicator "
                + "primary " + conductor.name() + "', or attach to the Primary's export";
        }
        return wanted + " has no disk attached on node " + node;
    }
}
