package io.replicator.cli.promoter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shell runner: each {@code start} entry of a resource is a command line, run by {@code /bin/sh -c} with
 * {@code start} appended, in order; the services it started are stopped with {@code stop} appended, in reverse order
 * (or by the resource's own {@code stop} list, as written). Output goes to the promoter's own (its log, or the
 * journal). The environment names the resource ({@code DRBD_RESOURCE}, as a DRBD handler gets it). One instance per
 * resource; used by the promoter's thread only.
 */
final class ShellServices {
    private static final Logger LOG = LoggerFactory.getLogger(ShellServices.class);
    private final PromoterConfig.Resource config;
    /** The start entries that succeeded and are not stopped yet, in start order. */
    private final List<String> running = new ArrayList<>();

    ShellServices(PromoterConfig.Resource config) {
        this.config = config;
    }

    /** The services started now. */
    List<String> running() {
        return List.copyOf(running);
    }

    /**
     * Runs the start list in order; at the first failure stops what it started (in reverse) and returns the failure,
     * else empty.
     */
    String start() {
        for (String entry : config.start()) {
            int status = run(entry + " start");
            if (status != 0) {
                String failure = "'" + entry + " start' exited " + status;
                LOG.error("{}: {}; stopping what was started", config.name(), failure);
                stop();
                return failure;
            }
            running.add(entry);
        }
        return "";
    }

    /** Stops the services: the {@code stop} list as written, else each running start entry with {@code stop}. */
    void stop() {
        if (!config.stop().isEmpty()) {
            if (!running.isEmpty()) {
                config.stop().forEach(this::run);
            }
            running.clear();
            return;
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            int status = run(running.get(i) + " stop");
            if (status != 0) {
                LOG.warn("{}: '{} stop' exited {}; going on with the others", config.name(), running.get(i), status);
            }
        }
        running.clear();
    }

    private int run(String command) {
        LOG.info("{}: running '{}'", config.name(), command);
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command)).inheritIO();
        builder.environment().putAll(Map.of("DRBD_RESOURCE", config.name()));
        try {
            return builder.start().waitFor();
        } catch (IOException failure) {
            LOG.error("{}: '{}' could not start: {}", config.name(), command, failure.getMessage());
            return 127;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
