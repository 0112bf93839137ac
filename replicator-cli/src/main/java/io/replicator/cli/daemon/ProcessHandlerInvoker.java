package io.replicator.cli.daemon;

import io.replicator.core.resource.HandlerInvoker;
import io.replicator.core.state.HelperEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Runs handlers as DRBD does: {@code /bin/sh -c COMMAND} with DRBD's environment variables, on a thread of its own
 * so that a slow handler never holds up a resource. Each call and its exit status are logged
 * ({@code helper command: NAME exit code N}) and reported as {@code call helper} / {@code response helper} events.
 */
final class ProcessHandlerInvoker implements HandlerInvoker, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessHandlerInvoker.class);

    private final ExecutorService runner = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "handler");
        thread.setDaemon(true);
        return thread;
    });
    private final Consumer<HelperEvent> events;

    ProcessHandlerInvoker(Consumer<HelperEvent> events) {
        this.events = events;
    }

    @Override
    public void invoke(String handler, String command, Map<String, String> environment) {
        invoke(handler, command, environment, status -> { });
    }

    @Override
    public void invoke(String handler, String command, Map<String, String> environment, IntConsumer exited) {
        String resource = environment.getOrDefault("DRBD_RESOURCE", "");
        OptionalInt volume = environment.containsKey("DRBD_VOLUME")
            ? OptionalInt.of(Integer.parseInt(environment.get("DRBD_VOLUME"))) : OptionalInt.empty();
        OptionalInt peer = environment.containsKey("DRBD_PEER_NODE_ID")
            ? OptionalInt.of(Integer.parseInt(environment.get("DRBD_PEER_NODE_ID"))) : OptionalInt.empty();
        String peerName = environment.getOrDefault("DRBD_PEER_NAME", "");
        runner.execute(() -> {
            events.accept(new HelperEvent(resource, peer, peerName, volume, handler, OptionalInt.empty()));
            int status;
            try {
                ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                builder.environment().putAll(environment);
                status = builder.start().waitFor();
            } catch (IOException failure) {
                LOG.warn("{}: helper command {} could not start: {}", resource, handler, failure.getMessage());
                status = 127;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                exited.accept(HandlerInvoker.NO_EXIT_STATUS);
                return;
            }
            LOG.info("{}: helper command: {} ({}) exit code {}", resource, handler, command, status);
            events.accept(new HelperEvent(resource, peer, peerName, volume, handler, OptionalInt.of(status)));
            exited.accept(status);
        });
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
