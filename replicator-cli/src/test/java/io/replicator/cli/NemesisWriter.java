package io.replicator.cli;

import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.AckRecordingClient;
import io.replicator.net.nbd.client.RunSummary;
import io.replicator.net.nbd.client.WriteWorkload;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application under the nemesis: one {@link WriteWorkload} (self-describing blocks, dependent chains, every
 * acknowledgement recorded) written through the NBD export of whichever node the nemesis says is the Primary, across
 * kills and failovers. Its generations continue from node to node, so the final check knows every block's last
 * acknowledged write whichever node took it.
 *
 * <p>Life: {@link #retarget} names the node to write to (null: none). The writer connects to that node's export and
 * runs the workload until the connection ends or a write is not acknowledged, then connects again to whatever node is
 * named by then. {@link #pause} stops issuing and waits until no connection is open (closing a connection whose writes
 * wait forever, e.g. without quorum: those writes stay unacknowledged).
 *
 * <p>Threads: one daemon thread writes; {@link #retarget}, {@link #pause} and {@link #close} are called by the
 * nemesis's thread.
 */
final class NemesisWriter implements AutoCloseable {
    private static final Duration RUN_SLICE = Duration.ofSeconds(20);
    private static final long PAUSE_GRACE_MS = 3_000;
    private static final long RETRY_MS = 100;

    private final TestCluster cluster;
    private final WriteWorkload workload;
    private final Thread thread;
    private final AtomicLong connections = new AtomicLong();
    private volatile String target;
    private volatile AckRecordingClient client;
    private volatile boolean closed;

    NemesisWriter(TestCluster cluster, WriteWorkload workload) {
        this.cluster = cluster;
        this.workload = workload;
        this.thread = new Thread(this::writeLoop, "nemesis-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes go to {@code node}'s export from the next connection on (null: to none). Does not wait. */
    void retarget(String node) {
        target = node;
    }

    /** The node named by {@link #retarget}. */
    String target() {
        return target;
    }

    /** Stops writing and returns once no connection is open; the target becomes none. */
    void pause() throws InterruptedException {
        target = null;
        long graceEndNs = System.nanoTime() + PAUSE_GRACE_MS * 1_000_000;
        for (AckRecordingClient open = client; open != null; open = client) {
            workload.stop();
            if (System.nanoTime() - graceEndNs > 0) {
                closeQuietly(open);
            }
            Thread.sleep(20);
        }
    }

    /** Connections opened so far. */
    long connections() {
        return connections.get();
    }

    @Override
    public void close() throws InterruptedException {
        pause();
        closed = true;
        thread.join(PAUSE_GRACE_MS);
    }

    private void writeLoop() {
        while (!closed) {
            String node = target;
            if (node == null) {
                sleep(RETRY_MS);
                continue;
            }
            try (AckRecordingClient connection = AckRecordingClient.connect(cluster.nbdUri(node))) {
                client = connection;
                connections.incrementAndGet();
                RunSummary run;
                do {
                    run = workload.run(connection, Long.MAX_VALUE, RUN_SLICE);
                } while (target != null && target.equals(node) && run.failed() == 0 && run.inFlight() == 0
                    && connection.connected());
            } catch (IOException notServing) {
                sleep(RETRY_MS);
            } catch (InterruptedException interrupted) {
                return;
            } finally {
                client = null;
            }
        }
    }

    private static void closeQuietly(AckRecordingClient connection) {
        try {
            connection.close();
        } catch (IOException | RuntimeException ignored) {
            // Its writes in flight stay unacknowledged; that is all that matters here.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
