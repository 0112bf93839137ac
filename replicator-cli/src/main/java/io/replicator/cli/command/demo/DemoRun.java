package io.replicator.cli.command.demo;

import io.replicator.cli.daemon.RunDirectory;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.cli.output.StatusJsonReader;
import io.replicator.core.config.ConfigException;
import io.replicator.core.config.Configuration;
import io.replicator.core.config.VolumeConfig;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.VolumeStorage;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.volume.Volume;
import io.replicator.net.nbd.client.AckRecordingClient;
import io.replicator.net.nbd.client.RunSummary;
import io.replicator.net.nbd.client.Verification;
import io.replicator.net.nbd.client.WriteWorkload;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the demo on two real node daemons: metadata, start, the initial sync, writes through the Primary's NBD
 * export, a SIGKILL of the Primary under those writes, failover to the Secondary and the check through its export that
 * every acknowledged write is there, more writes, failback with a bitmap resync, and the comparison of the two copies.
 * Each step prints a heading and the operator commands it runs ({@link OperatorShell}), so the output is a tutorial.
 *
 * <p>The workload writes at random into the first {@value #WORKLOAD_BLOCKS} 4 KiB blocks (8 MiB, two activity-log
 * extents): the crashed Primary must resync what its activity log covers, and a narrow area shows that the resync
 * copies changed blocks, not the volume.
 */
final class DemoRun {
    private static final String RESOURCE = DemoConfig.RESOURCE;
    private static final int BLOCK_BYTES = 4096;
    private static final long WORKLOAD_BLOCKS = 2048;
    private static final int IODEPTH = 8;
    private static final long BRAVO_WRITES = 1000;
    /** How long a wait-* command may take, as its {@code --timeout}. */
    private static final String WAIT_SECONDS = "60";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int STEPS = 9;
    private static final int HASH_CHUNK_BYTES = 1 << 20;
    private static final Pattern RESYNC_STARTED = Pattern.compile("resync started as SyncTarget, (\\d+) KiB to go");

    /** A phase of the run. */
    private interface Phase {
        void run() throws IOException, InterruptedException;
    }

    private final PrintWriter out;
    private final Path config;
    private final Map<String, DemoNode> nodes;
    private final RunDirectory run;
    private final OperatorShell shell;
    private final DemoDaemons daemons;
    private final WriteWorkload workload;
    private final Duration writeTime;
    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private int step;

    private AckRecordingClient bravoClient;
    private RunSummary onAlphaRun;
    private Verification onBravo;
    private long ackedOnBravo;
    private long bitmapKiB;
    private OptionalLong resyncKiB = OptionalLong.empty();
    private final Map<String, String> digests = new LinkedHashMap<>();
    private long dataBytes;
    private Verification onAlpha;

    DemoRun(PrintWriter out, Path config, Map<String, DemoNode> nodes, RunDirectory run, DemoDaemons daemons,
            long seed, Duration writeTime) {
        this.out = out;
        this.config = config;
        this.nodes = nodes;
        this.run = run;
        this.shell = new OperatorShell(out, config, run);
        this.daemons = daemons;
        this.workload = new WriteWorkload(seed, BLOCK_BYTES, WORKLOAD_BLOCKS, IODEPTH);
        this.writeTime = writeTime;
    }

    /** Runs every step and returns what they proved; throws {@link CommandFailure} when a step cannot go on. */
    DemoSummary run() throws IOException, InterruptedException {
        long startNs = System.nanoTime();
        try {
            timed("setup", this::setUp);
            timed("initial sync", this::initialSync);
            timed("writes and kill", this::writeUntilKilled);
            timed("failover and check", this::failover);
            timed("writes on bravo", this::writeOnBravo);
            timed("failback resync", this::failback);
            timed("compare", this::compare);
        } finally {
            if (bravoClient != null) {
                closeQuietly(bravoClient);
            }
        }
        step("Summary");
        return new DemoSummary(workload.seed(), onAlphaRun.acked(), onAlphaRun.inFlight(), onBravo, ackedOnBravo,
            onAlpha, bitmapKiB, resyncKiB, dataBytes, digests.get("alpha"), digests.get("bravo"), phases,
            Duration.ofNanos(System.nanoTime() - startNs));
    }

    private void setUp() {
        step("Metadata: create-md on each node (it also creates the 64 MiB backing file)");
        for (String node : DemoConfig.NODES) {
            shell.run(node, "create-md", RESOURCE);
        }
        step("Start: up starts each node's daemon, which attaches the disk and connects to the peer (both at once, "
            + "as on two machines)");
        shell.runOnEach(DemoConfig.NODES, "up", RESOURCE);
        shell.run("alpha", "wait-connect", "--timeout", WAIT_SECONDS, RESOURCE);
    }

    private void initialSync() {
        step("Initial sync: alpha becomes Primary with --force (its data is declared the good copy) and bravo copies "
            + "all of it");
        shell.run("alpha", "primary", "--force", RESOURCE);
        shell.run("alpha", "wait-sync", "--timeout", WAIT_SECONDS, RESOURCE);
        shell.run("alpha", "status", RESOURCE);
    }

    private void writeUntilKilled() throws IOException, InterruptedException {
        DemoNode alpha = nodes.get("alpha");
        step("Writes through alpha's NBD export " + alpha.nbdUri(RESOURCE) + ", and kill -9 of alpha's daemon "
            + "under them");
        out.printf("  %d writers put 4 KiB blocks at random into the first %d MiB; each waits for its previous write's "
            + "acknowledgement, and every acknowledgement is recorded%n", IODEPTH, WORKLOAD_BLOCKS * BLOCK_BYTES >> 20);
        out.flush();
        try (AckRecordingClient client = AckRecordingClient.connect(alpha.nbdUri(RESOURCE))) {
            CompletableFuture<RunSummary> running = workload.start(client, Long.MAX_VALUE, writeTime.plus(TIMEOUT));
            Thread.sleep(writeTime.toMillis());
            if (running.isDone()) {
                throw failure("the writes stopped before the kill: " + outcome(running) + "; "
                    + client.log().summary());
            }
            showMetrics(alpha);
            out.printf("$ kill -9 $(cat %s)    # alpha's daemon, after %d acknowledged writes%n",
                run.pidFile("alpha"), client.log().ackedCount());
            out.flush();
            long pid = daemons.kill9("alpha", Duration.ofSeconds(10));
            onAlphaRun = outcome(running);
            out.printf("  pid %d is gone; the writers saw %d writes acknowledged (%.0f/s), %d in flight when it died, "
                + "%d failed%n", pid, onAlphaRun.acked(), onAlphaRun.acked() * 1e9 / writeTime.toNanos(),
                onAlphaRun.inFlight(), onAlphaRun.failed());
        }
        if (onAlphaRun.failed() > 0 || onAlphaRun.connectionEnd().isEmpty()) {
            throw failure("the writes through alpha did not end with the kill: " + onAlphaRun);
        }
    }

    private void failover() throws IOException, InterruptedException {
        DemoNode bravo = nodes.get("bravo");
        step("Failover: bravo has lost alpha and is promoted; every acknowledged write is read back through its "
            + "export");
        String cstate = awaitOutput("bravo", text -> text.contains("Connecting"), "cstate", RESOURCE);
        out.println("$ " + OperatorShell.typed("bravo", "cstate", RESOURCE));
        out.print(cstate);
        shell.run("bravo", "primary", RESOURCE);
        bravoClient = AckRecordingClient.connect(bravo.nbdUri(RESOURCE));
        onBravo = workload.verify(bravoClient);
        out.printf("  read %d MiB through %s: %d acknowledged writes checked, %d lost; %d unacknowledged writes "
            + "landed anyway (allowed)%n", WORKLOAD_BLOCKS * BLOCK_BYTES >> 20, bravo.nbdUri(RESOURCE),
            onBravo.ackedWrites(), onBravo.lost().size(), onBravo.unackedLanded());
        if (!onBravo.ok()) {
            out.println("  FINDINGS: " + onBravo);
        }
    }

    private void writeOnBravo() throws IOException, InterruptedException {
        step("bravo serves: " + BRAVO_WRITES + " more writes through its export; alpha is away, so bravo's bitmap "
            + "records the blocks it must resync");
        RunSummary more = workload.run(bravoClient, BRAVO_WRITES, TIMEOUT);
        if (more.acked() != BRAVO_WRITES) {
            throw failure("bravo acknowledged " + more.acked() + " of " + BRAVO_WRITES + " writes: " + more);
        }
        await(bravoClient.flush(), "flush through bravo's export");
        bravoClient.close();
        bravoClient = null;
        ackedOnBravo = more.acked();
        bitmapKiB = outOfSyncKiB("bravo");
        out.printf("  %d writes acknowledged; bravo's bitmap toward alpha: %d KiB out of sync%n", ackedOnBravo,
            bitmapKiB);
        shell.run("bravo", "status", RESOURCE);
    }

    private void failback() throws IOException {
        step("Failback: alpha starts again and, as SyncTarget, copies from bravo only what the bitmaps mark");
        shell.run("alpha", "up", RESOURCE);
        shell.run("alpha", "wait-sync", "--timeout", WAIT_SECONDS, RESOURCE);
        resyncKiB = resyncFromLog("alpha");
        resyncKiB.ifPresent(kib -> out.printf("  %s says: resync started as SyncTarget, %d KiB to go%n",
            run.log("alpha"), kib));
        shell.run("bravo", "status", RESOURCE);
    }

    private void compare() throws IOException, InterruptedException {
        step("Compare: both daemons stop cleanly; both data areas are hashed, alpha's is checked write by write");
        shell.runOnEach(List.of("bravo", "alpha"), "shutdown");
        for (String node : DemoConfig.NODES) {
            awaitStopped(node);
        }
        // Both at once: each digest reads 64 MiB, and this JVM runs without the optimising compiler.
        Map<String, CompletableFuture<DiskReport>> reading = new LinkedHashMap<>();
        for (String node : DemoConfig.NODES) {
            reading.put(node, CompletableFuture.supplyAsync(() -> inspect(node, node.equals("alpha"))));
        }
        for (String node : DemoConfig.NODES) {
            DiskReport report = await(reading.get(node), "reading " + node + "'s disk");
            dataBytes = report.dataBytes();
            digests.put(node, report.sha256());
            report.check().ifPresent(check -> onAlpha = check);
            out.printf("$ head -c %d %s | sha256sum    # the data area; the metadata follows it%n", dataBytes,
                volume(node).disk());
            out.println(report.sha256() + "  -");
        }
        out.printf("  alpha's copy: %d acknowledged writes of both phases checked, %d lost%n", onAlpha.ackedWrites(),
            onAlpha.lost().size());
        out.println("  the copies are " + (digests.get("alpha").equals(digests.get("bravo")) ? "identical"
            : "DIFFERENT"));
    }

    /** What one node's stopped disk holds: the size and digest of its data area, and the workload's check of it. */
    private record DiskReport(long dataBytes, String sha256, Optional<Verification> check) {
    }

    private DiskReport inspect(String node, boolean check) {
        try (BackingDisk disk = VolumeStorage.open(volume(node))) {
            Optional<Verification> verification = check ? Optional.of(workload.verify(disk.data(), 0))
                : Optional.empty();
            return new DiskReport(disk.layout().dataSizeBytes(), sha256(disk.data()), verification);
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot read " + node + "'s disk", failure);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void timed(String name, Phase phase) throws IOException, InterruptedException {
        long startNs = System.nanoTime();
        phase.run();
        phases.put(name, Duration.ofNanos(System.nanoTime() - startNs));
    }

    /** The metric families an operator watches first, as {@code curl | grep} would show them. */
    private static final Pattern WATCHED = Pattern.compile("^replicator_(role|connection_state|replication_state|"
        + "peer_disk_state|sent_bytes_total|out_of_sync_bytes|pending_requests|unacked_requests|ping_rtt_seconds)\\b");

    /** Scrapes {@code node}'s metrics endpoint under load and prints the watched families' current values. */
    private void showMetrics(DemoNode node) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(node.metricsUrl())).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw failure("GET " + node.metricsUrl() + " answered " + response.statusCode());
        }
        out.printf("$ curl -s %s | grep -E '^replicator_(role|connection_state|replication_state|...)'    # under "
            + "the writes%n", node.metricsUrl());
        response.body().lines()
            .filter(line -> WATCHED.matcher(line).find())
            // A state set lists every state; only the current one (value 1) is worth showing.
            .filter(line -> !(line.contains("_state{") || line.startsWith("replicator_role{"))
                || line.endsWith(" 1") || line.endsWith(" 1.0"))
            .forEach(line -> out.println("  " + line));
        out.flush();
    }

    private void step(String heading) {
        out.printf("%n[%d/%d] %s%n", ++step, STEPS, heading);
        out.flush();
    }

    /** Polls {@code replicator --node NODE ARGS} quietly until its output satisfies {@code condition}; the output. */
    private String awaitOutput(String node, Predicate<String> condition, String... args)
        throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        OperatorShell.Result last;
        do {
            last = shell.quiet(node, args);
            if (last.ok() && condition.test(last.out())) {
                return last.out();
            }
            Thread.sleep(POLL.toMillis());
        } while (System.nanoTime() - deadline < 0);
        throw failure("'" + OperatorShell.typed(node, args) + "' did not show the expected state within "
            + TIMEOUT.toSeconds() + " s; last: " + last.out().strip() + last.err().strip());
    }

    /** Out-of-sync KiB toward every peer, from {@code status --json}. */
    private long outOfSyncKiB(String node) {
        OperatorShell.Result status = shell.quiet(node, "status", "--json", RESOURCE);
        if (!status.ok()) {
            throw failure("'" + OperatorShell.typed(node, "status", "--json", RESOURCE) + "' failed: " + status.err());
        }
        return StatusJsonReader.parse(status.out()).stream()
            .map(ResourceStatus::connections).flatMap(List::stream)
            .map(ConnectionStatus::peerDevices).flatMap(List::stream)
            .mapToLong(device -> device.statistics().outOfSyncKiB())
            .sum();
    }

    private OptionalLong resyncFromLog(String node) throws IOException {
        Path log = run.log(node);
        Matcher matcher = RESYNC_STARTED.matcher(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8)
            : "");
        OptionalLong last = OptionalLong.empty();
        while (matcher.find()) {
            last = OptionalLong.of(Long.parseLong(matcher.group(1)));
        }
        return last;
    }

    private void awaitStopped(String node) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (daemons.find(node).isPresent()) {
            if (System.nanoTime() - deadline > 0) {
                throw failure("the daemon of " + node + " did not stop within " + TIMEOUT.toSeconds()
                    + " s of 'shutdown'");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private VolumeConfig volume(String node) {
        try {
            return Configuration.load(config).resource(RESOURCE).requireHost(node).volume(0).orElseThrow();
        } catch (ConfigException invalid) {
            throw new CommandFailure(ExitCode.INVALID_CONFIG, "demo: " + invalid.getMessage());
        }
    }

    private static String sha256(Volume data) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform must provide SHA-256", impossible);
        }
        ByteBuffer buffer = ByteBuffer.allocate(HASH_CHUNK_BYTES);
        for (long offsetBytes = 0; offsetBytes < data.sizeBytes(); offsetBytes += HASH_CHUNK_BYTES) {
            buffer.clear().limit((int) Math.min(HASH_CHUNK_BYTES, data.sizeBytes() - offsetBytes));
            data.read(buffer, offsetBytes);
            digest.update(buffer.flip());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private RunSummary outcome(CompletableFuture<RunSummary> running) throws InterruptedException {
        return await(running, "the writes through alpha");
    }

    private <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            throw failure(what + " failed: " + failed.getCause());
        } catch (TimeoutException slow) {
            throw failure(what + " did not end within " + TIMEOUT.toSeconds() + " s");
        }
    }

    /** Closes a client on the way out of a failed step, whose own failure is the one to report. */
    private static void closeQuietly(AckRecordingClient client) {
        try {
            client.close();
        } catch (IOException alreadyFailing) {
            // The step's failure says what went wrong; the connection goes with the daemons.
        }
    }

    /** A failure that ends the demo, with the tail of both daemon logs. */
    private CommandFailure failure(String what) {
        StringBuilder message = new StringBuilder("demo: ").append(what);
        for (String node : DemoConfig.NODES) {
            message.append("\n--- ").append(run.log(node)).append(" ends with:\n").append(shell.logTail(node));
        }
        return new CommandFailure(ExitCode.FAILURE, message.toString());
    }
}
