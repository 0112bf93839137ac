package io.replicator.core.config;

/**
 * One end of a path: a host of the resource and the address it uses on that path.
 *
 * @param host    the {@code on HOST} name
 * @param address where it listens or connects from on this path
 */
public record Endpoint(String host, Address address) {
}
