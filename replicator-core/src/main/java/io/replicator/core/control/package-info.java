/**
 * The node daemon's control protocol (one request line of argv, answered by stdout/stderr lines and an exit status
 * over a Unix domain socket) and its blocking client; the server side is {@code io.replicator.net.control}.
 */
package io.replicator.core.control;
