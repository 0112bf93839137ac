package io.replicator.cli.daemon;

import io.replicator.cli.output.ExitCode;
import io.replicator.core.config.ConfigException;
import io.replicator.core.resource.Outcome;
import io.replicator.core.resource.ResourceConductor;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.StateChangeRefusal;
import io.replicator.net.control.ControlConnection;
import io.replicator.net.control.ControlHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Carries out the CLI's requests inside the daemon: {@code VERB RESOURCE|all [FLAGS]}. The CLI has already checked
 * the arguments with picocli; this checks them again, since anything that can reach the socket can send a request.
 */
final class DaemonRequests implements ControlHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonRequests.class);

    private final NodeDaemon daemon;

    DaemonRequests(NodeDaemon daemon) {
        this.daemon = daemon;
    }

    @Override
    public int handle(List<String> argv, PrintWriter out, PrintWriter err, ControlConnection connection)
        throws Exception {
        String verb = argv.get(0);
        if (verb.equals("shutdown")) {
            out.println("node " + daemon.node() + ": daemon stopping");
            daemon.requestStop();
            return ExitCode.SUCCESS.status();
        }
        if (argv.size() < 2) {
            err.println(verb + ": a resource (or 'all') is required");
            return ExitCode.FAILURE.status();
        }
        String target = argv.get(1);
        RequestFlags flags;
        try {
            flags = RequestFlags.parse(verb, argv.subList(2, argv.size()));
        } catch (IllegalArgumentException bad) {
            err.println(verb + ": " + bad.getMessage());
            return ExitCode.FAILURE.status();
        }
        boolean force = flags.has("--force");
        LOG.info("request: {}", String.join(" ", argv));
        try {
            return dispatch(verb, target, flags, force, out, err, connection);
        } catch (ConfigException invalid) {
            // An invalid configuration, or one the daemon cannot serve (an nbd-listen or metrics-listen address it
            // cannot bind): file:line:column and the reason, not an internal error.
            LOG.error("{}: {}", String.join(" ", argv), invalid.getMessage());
            invalid.errors().forEach(err::println);
            return ExitCode.INVALID_CONFIG.status();
        }
    }

    private int dispatch(String verb, String target, RequestFlags flags, boolean force, PrintWriter out,
                         PrintWriter err, ControlConnection connection)
        throws ConfigException, InterruptedException {
        return switch (verb) {
            case "up" -> each(target, true, err, ResourceConductor::up);
            case "down" -> down(target, err);
            case "attach" -> each(target, false, err, ResourceConductor::attach);
            case "detach" -> each(target, false, err, c -> c.detach(force));
            case "connect" -> each(target, false, err, c -> c.connect(flags.has("--discard-my-data")));
            case "disconnect" -> each(target, false, err, ResourceConductor::disconnect);
            case "primary" -> each(target, false, err, c -> c.primary(force));
            case "secondary" -> each(target, false, err, c -> unlessHeldOpen(c, force, ResourceConductor::secondary));
            case "outdate" -> each(target, false, err, ResourceConductor::outdate);
            case "new-current-uuid" -> each(target, false, err,
                c -> c.newCurrentUuid(flags.has("--clear-bitmap")));
            case "invalidate" -> each(target, false, err, c -> c.invalidate(flags.resetBitmap()));
            case "invalidate-remote" -> each(target, false, err, c -> c.invalidateRemote(flags.resetBitmap()));
            case "verify" -> each(target, false, err, c -> c.verify(flags.startSector(), flags.stopSector()));
            case "pause-sync" -> each(target, false, err, ResourceConductor::pauseSync);
            case "resume-sync" -> each(target, false, err, ResourceConductor::resumeSync);
            case "suspend-io" -> each(target, false, err, ResourceConductor::suspendIo);
            case "resume-io" -> each(target, false, err, ResourceConductor::resumeIo);
            case "status" -> show(target, err, statuses -> DaemonOutput.status(statuses, flags.has("--json"),
                flags.has("--verbose"), flags.has("--statistics")), out);
            case "role", "cstate", "dstate", "get-gi" -> show(target, err,
                statuses -> DaemonOutput.fact(verb, statuses, this::conductorOf), out);
            case "events" -> events(target, flags.has("--now"), flags.has("--timestamps"), out, err,
                connection);
            default -> {
                err.println("unknown command '" + verb + "'");
                yield ExitCode.FAILURE.status();
            }
        };
    }

    private ResourceConductor conductorOf(String name) {
        try {
            return daemon.resource(name, false).orElseThrow();
        } catch (ConfigException invalid) {
            throw new IllegalStateException(invalid);
        }
    }

    /** Runs {@code command} on the target resource(s); the exit status is that of the first failure. */
    private int each(String target, boolean create, PrintWriter err, Function<ResourceConductor, Outcome> command)
        throws ConfigException {
        List<ResourceConductor> conductors = targets(target, create, err);
        if (conductors == null) {
            return missing(target);
        }
        int status = ExitCode.SUCCESS.status();
        for (ResourceConductor conductor : conductors) {
            Outcome outcome = command.apply(conductor);
            if (!outcome.message().isEmpty()) {
                for (String line : outcome.message().split("\n")) {
                    err.println(conductor.name() + ": " + line);
                }
            }
            if (!outcome.ok() && status == ExitCode.SUCCESS.status()) {
                status = exitCode(outcome.kind()).status();
            }
        }
        return status;
    }

    private int down(String target, PrintWriter err) throws ConfigException {
        List<ResourceConductor> conductors = targets(target, false, err);
        if (conductors == null) {
            return missing(target);
        }
        int status = ExitCode.SUCCESS.status();
        for (ResourceConductor conductor : conductors) {
            Outcome outcome = unlessHeldOpen(conductor, false, ResourceConductor::down);
            if (outcome.ok()) {
                daemon.remove(conductor);
                conductor.close();
            } else {
                err.println(conductor.name() + ": " + outcome.message());
                status = exitCode(outcome.kind()).status();
            }
        }
        return status;
    }

    private int show(String target, PrintWriter err, Function<List<ResourceStatus>, String> render, PrintWriter out)
        throws ConfigException {
        List<ResourceConductor> conductors = targets(target, false, err);
        if (conductors == null) {
            return missing(target);
        }
        List<ResourceStatus> statuses = new ArrayList<>();
        for (ResourceConductor conductor : conductors) {
            statuses.add(conductor.snapshot());
        }
        String text = render.apply(statuses);
        if (!text.isEmpty()) {
            out.print(text.endsWith("\n") ? text : text + "\n");
        }
        return ExitCode.SUCCESS.status();
    }

    private int events(String target, boolean now, boolean timestamps, PrintWriter out, PrintWriter err,
                       ControlConnection connection) throws ConfigException, InterruptedException {
        List<ResourceConductor> conductors = targets(target, false, err);
        if (conductors == null) {
            return missing(target);
        }
        Optional<String> only = target.equals("all") ? Optional.empty() : Optional.of(target);
        try (DaemonEvents.Subscription subscription = daemon.events().subscribe(only, timestamps)) {
            List<ResourceStatus> snapshot = new ArrayList<>();
            for (ResourceConductor conductor : conductors) {
                snapshot.add(conductor.snapshot());
            }
            out.print(subscription.exists(snapshot));
            out.flush();
            if (now) {
                return ExitCode.SUCCESS.status();
            }
            while (!connection.isClosed()) {
                // Flushed as soon as nothing more is queued: a reader (the promoter) acts on a change at once, not
                // when the stream next falls idle (that cost failover half a second to a second).
                Optional<String> line = subscription.next(500);
                while (line.isPresent()) {
                    out.println(line.get());
                    line = subscription.next(0);
                }
                out.flush();
            }
        }
        return ExitCode.SUCCESS.status();
    }

    /**
     * The conductors {@code target} names ("all" = every resource up on this node, or for {@code up} every
     * resource of the configuration); null after printing why when there is none.
     */
    private List<ResourceConductor> targets(String target, boolean create, PrintWriter err) throws ConfigException {
        List<ResourceConductor> conductors = new ArrayList<>();
        if (target.equals("all")) {
            if (create) {
                for (String name : daemon.readConfig().keySet()) {
                    daemon.resource(name, true).ifPresent(conductors::add);
                }
            } else {
                conductors.addAll(daemon.resources());
            }
            return conductors;
        }
        Optional<ResourceConductor> conductor = daemon.resource(target, create);
        if (conductor.isEmpty()) {
            boolean configured = daemon.readConfig().containsKey(target);
            err.println(target + ": " + (configured
                ? "not up on node " + daemon.node() + "; run 'replicator up " + target + "' first"
                : "no such resource for node " + daemon.node() + " in the configuration"));
            return null;
        }
        conductors.add(conductor.get());
        return conductors;
    }

    /**
     * Runs {@code change} unless NBD clients hold the resource's exports open: then it is refused with their
     * addresses, as DRBD refuses to demote an open device — or, with {@code force}, they are cut off first.
     */
    private Outcome unlessHeldOpen(ResourceConductor conductor, boolean force,
                                   Function<ResourceConductor, Outcome> change) {
        List<String> clients = daemon.nbdClients(conductor);
        if (!clients.isEmpty()) {
            if (!force) {
                return Outcome.refused(StateChangeRefusal.DEVICE_IN_USE, "held open by NBD client(s) "
                    + String.join(", ", clients) + "; stop them, or use 'secondary --force' to cut them off "
                    + "(their requests fail with ESHUTDOWN)");
            }
            LOG.warn("{}: cutting off NBD client(s) {}", conductor.name(), clients);
            daemon.disconnectNbd(conductor);
        }
        return change.apply(conductor);
    }

    /** Exit status for a target that {@link #targets} could not find: 11 if configured but not up, else 10. */
    private int missing(String target) throws ConfigException {
        return daemon.readConfig().containsKey(target) ? ExitCode.STATE_CHANGE_REFUSED.status()
            : ExitCode.INVALID_CONFIG.status();
    }

    private static ExitCode exitCode(Outcome.Kind kind) {
        return switch (kind) {
            case DONE -> ExitCode.SUCCESS;
            case REFUSED -> ExitCode.STATE_CHANGE_REFUSED;
            case NO_UP_TO_DATE_DATA -> ExitCode.PROMOTION_REFUSED;
            case FAILED -> ExitCode.FAILURE;
        };
    }
}
