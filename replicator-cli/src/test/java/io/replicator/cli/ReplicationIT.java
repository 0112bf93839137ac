package io.replicator.cli;

import io.replicator.core.config.Protocol;
import io.replicator.fixtures.RequiredTools;
import io.replicator.fixtures.cluster.StatusProbe;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.Verification;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replication between real daemons on loopback, driven through the real CLI: writes through the Primary's NBD export
 * (the recording client, fio with verify, qemu-io patterns) reach every Secondary, whose data area is then
 * byte-identical to the Primary's (SHA-256 of the data areas), for each protocol, for three nodes, and across a
 * disconnect and reconnect of an idle pair.
 */
@Timeout(300)
class ReplicationIT {
    private static final int BLOCK = 4096;

    @TempDir
    Path folder;

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void shouldMakeTheSecondaryByteIdenticalToThePrimary(Protocol protocol) throws Exception {
        WriteWorkload workload = WriteWorkload.withRandomSeed(BLOCK, 2048, 8);
        System.out.println("protocol " + protocol + " seed " + workload.seed());
        try (TestCluster cluster = TestCluster.builder(folder).protocol(protocol).build()) {
            cluster.bootstrap("alpha");
            assertThat(cluster.status("bravo")).contains("alpha role:Primary");
            PeerClusters.write(cluster, "alpha", workload, 3000);
            awaitIdentical(cluster, "alpha", "bravo");
            Verification onBravo = workload.verify(cluster.diskPath("bravo", 0), 0);
            assertThat(onBravo.ok()).as(onBravo.toString()).isTrue();
        }
    }

    @Test
    void shouldReplicateFioAndQemuIoWritesToTwoSecondaries() throws Exception {
        RequiredTools.require("fio", "fio");
        RequiredTools.require("qemu-io", "qemu-utils");
        try (TestCluster cluster = TestCluster.builder(folder).nodes(3).build()) {
            cluster.bootstrap("alpha");
            String uri = cluster.nbdUri("alpha");
            String fio = run(List.of("fio", "--name=replicate", "--ioengine=nbd", "--uri=" + uri, "--rw=randwrite",
                "--bs=4k", "--iodepth=16", "--size=16M", "--verify=crc32c", "--do_verify=1", "--randrepeat=1",
                "--verify_state_save=0"));
            assertThat(fio).startsWith("exit 0").contains("err= 0").doesNotContain("verify: bad");
            String qemu = run(List.of("qemu-io", "-f", "raw", uri, "-c", "write -P 0x5a 20M 3M",
                "-c", "write -z 21M 64k", "-c", "aio_write -P 0xa5 24M 1M", "-c", "aio_flush",
                "-c", "read -P 0x5a 20M 1M", "-c", "read -P 0 21M 64k"));
            assertThat(qemu).startsWith("exit 0").doesNotContain("Pattern verification failed");
            awaitIdentical(cluster, "alpha", "bravo");
            awaitIdentical(cluster, "alpha", "charlie");
            String onCharlie = run(List.of("qemu-io", "-f", "raw", "-r", cluster.diskPath("charlie", 0).toString(),
                "-c", "read -P 0x5a 20M 1M", "-c", "read -P 0 21M 64k", "-c", "read -P 0xa5 24M 1M"));
            assertThat(onCharlie).startsWith("exit 0").doesNotContain("Pattern verification failed");
        }
    }

    @Test
    void shouldReconnectAfterADisconnectWithoutWritesAndGoOnReplicating() throws Exception {
        WriteWorkload before = WriteWorkload.withRandomSeed(BLOCK, 512, 4);
        System.out.println("seed " + before.seed());
        try (TestCluster cluster = TestCluster.builder(folder).build()) {
            cluster.bootstrap("alpha");
            PeerClusters.write(cluster, "alpha", before, 500);
            awaitIdentical(cluster, "alpha", "bravo");

            cluster.require("bravo", "disconnect", "r0");
            cluster.waitFor("alpha", StatusProbe.CSTATE, out -> out.contains("Connecting"), Duration.ofSeconds(30));
            assertThat(cluster.cstate("bravo")).contains("StandAlone");
            cluster.require("bravo", "connect", "r0");
            cluster.awaitReplicating("alpha", Duration.ofSeconds(30));

            WriteWorkload after = new WriteWorkload(before.seed() + 1, BLOCK, 512, 4);
            PeerClusters.write(cluster, "alpha", after, 500);
            awaitIdentical(cluster, "alpha", "bravo");
        }
    }

    /**
     * Waits until {@code secondary}'s data area hashes like {@code primary}'s. Under protocol C they are equal once
     * the writes are acknowledged; A and B may need a moment for the last writes to land.
     */
    static void awaitIdentical(TestCluster cluster, String primary, String secondary) throws Exception {
        String expected = cluster.dataSha256(primary, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String actual = cluster.dataSha256(secondary, 0);
        while (!actual.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            actual = cluster.dataSha256(secondary, 0);
        }
        assertThat(actual).as("data area of %s vs %s\n%s", secondary, primary, cluster.logTails())
            .isEqualTo(expected);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return "exit " + process.exitValue() + "\n" + output;
    }
}
