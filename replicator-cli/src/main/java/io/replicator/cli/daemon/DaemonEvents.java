package io.replicator.cli.daemon;

import io.replicator.cli.output.EventsFormatter;
import io.replicator.core.resource.ResourceConductor;
import io.replicator.core.state.HelperEvent;
import io.replicator.core.state.ResourceStatus;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands every state change to the {@code events} clients as events2 lines. Keeps the last snapshot of each resource,
 * so that a change yields only the lines of what changed; each client formats with its own options.
 */
final class DaemonEvents {
    private static final int QUEUE_LIMIT = 10_000;

    private final Map<String, ResourceStatus> last = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /** A new resource, or a command ran on one: the lines of what changed. */
    synchronized void changed(ResourceConductor conductor) {
        ResourceStatus now = conductor.snapshot();
        ResourceStatus before = last.put(now.name(), now);
        publish(now.name(), before == null ? List.of() : List.of(before), List.of(now));
    }

    /** A resource went down: its destroy lines. */
    synchronized void destroyed(ResourceConductor conductor) {
        ResourceStatus before = last.remove(conductor.name());
        if (before != null) {
            publish(before.name(), List.of(before), List.of());
        }
    }

    /** A handler was called or answered. */
    void helper(HelperEvent event) {
        for (Subscription subscription : subscriptions) {
            if (subscription.wants(event.resource())) {
                subscription.offer(subscription.formatter.helper(event));
            }
        }
    }

    private void publish(String resource, List<ResourceStatus> before, List<ResourceStatus> after) {
        for (Subscription subscription : subscriptions) {
            if (subscription.wants(resource)) {
                String lines = subscription.formatter.changes(before, after);
                for (String line : lines.split("\n")) {
                    if (!line.isEmpty()) {
                        subscription.offer(line);
                    }
                }
            }
        }
    }

    /** Starts a stream of lines for {@code resource} (or every resource). */
    Subscription subscribe(Optional<String> resource, boolean timestamps) {
        Subscription subscription = new Subscription(resource,
            new EventsFormatter(timestamps ? Optional.of(Clock.systemDefaultZone()) : Optional.empty()));
        subscriptions.add(subscription);
        return registered(subscription);
    }

    /** One {@code events} client: its formatter and its queue of lines. */
    static final class Subscription implements AutoCloseable {
        private final Optional<String> resource;
        private final EventsFormatter formatter;
        private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
        private Runnable onClose = () -> { };

        private Subscription(Optional<String> resource, EventsFormatter formatter) {
            this.resource = resource;
            this.formatter = formatter;
        }

        private boolean wants(String name) {
            return resource.isEmpty() || resource.get().equals(name);
        }

        private void offer(String line) {
            // A client that stopped reading loses lines rather than stalling the daemon.
            queue.offer(line);
        }

        /** The initial dump of {@code snapshot}, ending with {@code exists -}. */
        String exists(List<ResourceStatus> snapshot) {
            return formatter.exists(snapshot);
        }

        /** The next line, waiting up to {@code timeoutMs}. */
        Optional<String> next(long timeoutMs) throws InterruptedException {
            return Optional.ofNullable(queue.poll(timeoutMs, TimeUnit.MILLISECONDS));
        }

        @Override
        public void close() {
            onClose.run();
        }
    }

    /** Stops delivering to {@code subscription}. */
    private void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    /** Wires {@link Subscription#close()} to removal; called once per subscription by {@link #subscribe}. */
    private Subscription registered(Subscription subscription) {
        subscription.onClose = () -> unsubscribe(subscription);
        return subscription;
    }
}
