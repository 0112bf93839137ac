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
}
