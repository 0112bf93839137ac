package io.replicator.core.resource;

import java.util.Map;

/**
 * Runs a configured handler ({@code handlers { NAME "command"; }}) with DRBD's environment variables. It must not
 * block the caller: the resource's owner thread calls it and goes on.
 */
@FunctionalInterface
public interface HandlerInvoker {
    /** Does nothing: for resources without handlers and for tests that do not care. */
    HandlerInvoker NONE = (handler, command, environment) -> { };

    /**
     * Starts {@code command} for {@code handler} (e.g. "local-io-error") with {@code environment} added to the
     * daemon's environment (DRBD_RESOURCE, DRBD_VOLUME, ...).
     */
    void invoke(String handler, String command, Map<String, String> environment);

    /** The exit status an invoker that cannot tell one reports: no fence-peer verdict (the handler counts failed). */
    int NO_EXIT_STATUS = -1;

    /**
     * {@link #invoke} for a handler whose exit status decides something ({@code fence-peer}): {@code exited} hears
     * it, from any thread, once the command ended. An invoker that runs nothing reports {@link #NO_EXIT_STATUS}.
     */
    default void invoke(String handler, String command, Map<String, String> environment,
                        java.util.function.IntConsumer exited) {
        invoke(handler, command, environment);
        exited.accept(NO_EXIT_STATUS);
    }
}
