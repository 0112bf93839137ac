package io.replicator.cli.promoter;

import io.replicator.core.control.ControlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code replicator promoter}: automatic failover for the resources of a drbd-reactor promoter file, on one node.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li><b>events</b> — holds a {@code events all} request open on the node daemon's control socket and folds each
 *       line into the {@link EventView} under {@link #lock}, then wakes the promoter thread. When the daemon is not
 *       there (not started yet, killed) every resource is absent, and it connects again every
 *       {@link #RECONNECT_MS}.</li>
 *   <li><b>promoter</b> (the caller of {@link #run}) — the only one that acts: for each resource it asks its
 *       {@link PromoterMachine} what to do, and does it — {@code primary}/{@code secondary} over the control socket,
 *       the start and stop lists through {@link ShellServices} — one action at a time, then writes the status file.
 *       It sleeps until an event or the machines' next deadline.</li>
 * </ul>
 * On exit (SIGTERM) the resources with {@code stop-services-on-exit} are stopped and demoted.
 *
 * <p>Each step is logged with its time, so that a failover can be timed from the log: {@code may promote},
 * {@code promoting}, {@code promoted}, {@code services started}.
 */
public final class Promoter {
    static final long RECONNECT_MS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(Promoter.class);

    private final String node;
    private final Path socket;
    private final Path statusFile;
    private final Map<String, PromoterMachine> machines = new LinkedHashMap<>();
    private final Map<String, ShellServices> services = new LinkedHashMap<>();
    private final Map<String, PromoterConfig.Resource> configs = new LinkedHashMap<>();
    private final EventView view = new EventView();
    private final Object lock = new Object();
    private final SplittableRandom random = new SplittableRandom();
    private volatile boolean stopping;
    /** What the status file says now (promoter thread). */
    private String lastStatus = "";
    private boolean changed;

    public Promoter(PromoterConfig config, String node, Path socket, Path statusFile) {
        this.node = node;
        this.socket = socket;
        this.statusFile = statusFile;
        for (PromoterConfig.Resource resource : config.resources()) {
            machines.put(resource.name(), new PromoterMachine(node, resource));
            services.put(resource.name(), new ShellServices(resource));
            configs.put(resource.name(), resource);
        }
    }

    /** Runs until {@link #stop}; then stops the services of the resources that say so. */
    public void run() throws InterruptedException {
        Thread events = new Thread(this::followEvents, "promoter-events");
        events.setDaemon(true);
        events.start();
        LOG.info("promoter on node {}: managing {} (daemon socket {})", node, machines.keySet(), socket);
        try {
            while (!stopping) {
                long wake = Long.MAX_VALUE;
                for (Map.Entry<String, PromoterMachine> entry : machines.entrySet()) {
                    step(entry.getKey(), entry.getValue());
                    wake = Math.min(wake, entry.getValue().wakeAt());
                }
                writeStatus();
                synchronized (lock) {
                    if (!changed && !stopping) {
                        long waitNanos = wake == Long.MAX_VALUE ? 1_000_000_000L : wake - System.nanoTime();
                        if (waitNanos > 0) {
                            lock.wait(Math.max(1, waitNanos / 1_000_000), 0);
                        }
                    }
                    changed = false;
                }
            }
        } finally {
            onExit();
        }
    }

    /** Makes {@link #run} return (from a shutdown hook). */
    public void stop() {
        stopping = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void step(String resource, PromoterMachine machine) {
        while (!stopping) {
            PromoterMachine.View now;
            synchronized (lock) {
                now = view.view(resource);
            }
            PromoterMachine.Phase before = machine.phase();
            PromoterMachine.Action action = machine.next(now, System.nanoTime(),
                random.nextLong(PromoterMachine.JITTER_NANOS + 1));
            if (before == PromoterMachine.Phase.IDLE && machine.phase() != PromoterMachine.Phase.IDLE) {
                LOG.info("{}: may promote; {}", resource, machine.phase() == PromoterMachine.Phase.WAITING
                    ? machine.why() : "promoting at once");
            }
            if (action == PromoterMachine.Action.NONE) {
                return;
            }
            act(resource, machine, action);
        }
    }

    private void act(String resource, PromoterMachine machine, PromoterMachine.Action action) {
        ShellServices shell = services.get(resource);
        switch (action) {
            case PROMOTE -> {
                LOG.info("{}: promoting", resource);
                Answer answer = daemon("primary", resource);
                machine.promoted(answer.ok(), answer.text(), System.nanoTime());
                if (answer.ok()) {
                    LOG.info("{}: promoted; starting {}", resource, configs.get(resource).start());
                    act(resource, machine, machine.afterPromotion());
                } else {
                    LOG.info("{}: promotion refused: {}", resource, answer.text());
                }
            }
            case START_SERVICES -> {
                String failure = shell.start();
                PromoterMachine.Action then = machine.started(failure.isEmpty(), failure, System.nanoTime());
                if (failure.isEmpty()) {
                    LOG.info("{}: services started: {}", resource, shell.running());
                }
                if (then != PromoterMachine.Action.NONE) {
                    act(resource, machine, then);
                }
            }
            case STOP_AND_DEMOTE -> {
                LOG.warn("{}: {}", resource, machine.why());
                shell.stop();
                demote(resource);
                machine.stopped(false, "stopped and demoted: " + machine.why(), System.nanoTime());
            }
            case STOP_SERVICES -> {
                LOG.warn("{}: {}", resource, machine.why());
                shell.stop();
                machine.stopped(false, "services stopped: " + machine.why(), System.nanoTime());
            }
            case DEMOTE -> {
                demote(resource);
                machine.stopped(true, "", System.nanoTime());
            }
            default -> {
            }
        }
    }

    private void demote(String resource) {
        PromoterConfig.Resource config = configs.get(resource);
        Answer answer = config.secondaryForce() ? daemon("secondary", resource, "--force")
            : daemon("secondary", resource);
        if (answer.ok()) {
            LOG.info("{}: demoted", resource);
            return;
        }
        LOG.error("{}: demotion failed: {} (on-drbd-demote-failure {})", resource, answer.text(),
            config.onDemoteFailure());
        String command = switch (config.onDemoteFailure()) {
            case "reboot" -> "systemctl reboot";
            case "reboot-immediate" -> "echo b > /proc/sysrq-trigger";
            case "poweroff-immediate" -> "echo o > /proc/sysrq-trigger";
            default -> "";
        };
        if (!command.isEmpty()) {
            try {
                new ProcessBuilder("/bin/sh", "-c", command).inheritIO().start().waitFor();
            } catch (IOException | InterruptedException failure) {
                LOG.error("{}: '{}' failed: {}", resource, command, failure.getMessage());
            }
        }
    }

    private void onExit() {
        for (Map.Entry<String, PromoterConfig.Resource> entry : configs.entrySet()) {
            ShellServices shell = services.get(entry.getKey());
            if (entry.getValue().stopServicesOnExit() && !shell.running().isEmpty()) {
                LOG.info("{}: promoter exiting (stop-services-on-exit): stopping the services and demoting",
                    entry.getKey());
                shell.stop();
                demote(entry.getKey());
            }
        }
        writeStatus();
    }

    /** The daemon's answer to one command. */
    private record Answer(boolean ok, String text) {
    }

    private Answer daemon(String... argv) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            int status = ControlClient.call(socket, List.of(argv), new PrintWriter(out), new PrintWriter(err));
            return new Answer(status == 0, (out + " " + err).strip().replace('\n', ' '));
        } catch (IOException unreachable) {
            return new Answer(false, "the daemon could not be reached: " + unreachable.getMessage());
        }
    }

    private void followEvents() {
        while (!stopping) {
            Writer lines = new LineWriter(line -> {
                synchronized (lock) {
                    if (view.accept(line)) {
                        changed = true;
                        lock.notifyAll();
                    }
                }
            });
            try {
                ControlClient.call(socket, List.of("events", "all"), new PrintWriter(lines), new PrintWriter(
                    Writer.nullWriter()));
            } catch (IOException daemonGone) {
                // Not running (yet), or killed: nothing is known until it answers again.
            }
            synchronized (lock) {
                view.clear();
                changed = true;
                lock.notifyAll();
            }
            try {
                Thread.sleep(RECONNECT_MS);
            } catch (InterruptedException interrupted) {
                return;
            }
        }
    }

    private void writeStatus() {
        if (statusFile == null) {
            return;
        }
        StringBuilder text = new StringBuilder("node " + node + ", pid " + ProcessHandle.current().pid() + "\n");
        for (Map.Entry<String, PromoterMachine> entry : machines.entrySet()) {
            List<String> running = new ArrayList<>(services.get(entry.getKey()).running());
            text.append(entry.getKey()).append(": ").append(entry.getValue().phase().name().toLowerCase())
                .append(" — ").append(entry.getValue().why())
                .append(running.isEmpty() ? "" : "; services started: " + String.join(", ", running)).append('\n');
        }
        if (text.toString().equals(lastStatus)) {
            return; // the loop wakes every second: write only what changed
        }
        lastStatus = text.toString();
        try {
            Path next = statusFile.resolveSibling(statusFile.getFileName() + ".new");
            Files.writeString(next, text, StandardCharsets.UTF_8);
            Files.move(next, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failure) {
            LOG.warn("cannot write {}: {}", statusFile, failure.getMessage());
        }
    }

    /** A writer that hands each complete line to a consumer. */
    private static final class LineWriter extends Writer {
        private final java.util.function.Consumer<String> consumer;
        private final StringBuilder pending = new StringBuilder();

        LineWriter(java.util.function.Consumer<String> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (chars[i] == '\n') {
                    consumer.accept(pending.toString());
                    pending.setLength(0);
                } else if (chars[i] != '\r') {
                    pending.append(chars[i]);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
