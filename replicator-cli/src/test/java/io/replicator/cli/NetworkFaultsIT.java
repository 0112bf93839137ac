package io.replicator.cli;

import io.replicator.fixtures.cluster.StatusProbe;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault tools of {@link TestCluster} against real daemons: every peer connection passes a fault proxy
 * ({@code faultProxies()}), and a partition, a one-way cut, a stall and a freeze are each noticed by the daemons
 * (the connection drops) and healed (it comes back, the copies end identical). The proxy itself is unit-tested in
 * fixtures ({@code FaultProxyTest}); {@code NemesisIT} draws these faults at random.
 */
@Timeout(300)
class NetworkFaultsIT {
    private static final Duration NOTICE = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    void everyFaultIsNoticedByBothDaemons_andHealingReconnectsThem() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).faultProxies().netOptions("ping-int 1; ping-timeout 10;")
            .build()) {
            cluster.bootstrap("alpha");
            assertThat(cluster.network().proxy("bravo", "alpha").acceptedConnections())
                .as("the dialer's connections pass its proxy\n%s", cluster.network().describe()).isGreaterThanOrEqualTo(2);
            WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 1024, 4);
            System.out.println("NetworkFaultsIT workload seed " + workload.seed());
            System.out.println(cluster.query("alpha", "status", "--verbose").out());

            cluster.network().partition("alpha", "bravo");
            awaitApart(cluster);
            System.out.println(cluster.query("alpha", "status", "--verbose").out());
            PeerClusters.write(cluster, "alpha", workload, 50);
            healAndAwaitIdentical(cluster);

            cluster.network().partitionOneWay("alpha", "bravo");
            awaitApart(cluster);
            healAndAwaitIdentical(cluster);

            cluster.network().stall("alpha", "bravo");
            awaitApart(cluster);
            healAndAwaitIdentical(cluster);

            cluster.freeze("bravo");
            cluster.waitFor("alpha", StatusProbe.CSTATE, out -> !out.startsWith("Connected"), NOTICE);
            cluster.thaw("bravo");
            PeerClusters.write(cluster, "alpha", workload, 50);
            healAndAwaitIdentical(cluster);
        }
    }

    private static void awaitApart(TestCluster cluster) {
        for (String node : new String[] {"alpha", "bravo"}) {
            cluster.waitFor(node, StatusProbe.CSTATE, out -> !out.isEmpty() && !out.startsWith("Connected"), NOTICE);
        }
    }

    private static void healAndAwaitIdentical(TestCluster cluster) {
        cluster.network().healAll();
        for (String node : new String[] {"alpha", "bravo"}) {
            cluster.awaitReplicating(node, NOTICE);
            cluster.waitFor(node, StatusProbe.DSTATE, "UpToDate/UpToDate\n"::equals, NOTICE);
        }
        assertThat(cluster.dataSha256("bravo", 0)).as(cluster.logTails()).isEqualTo(cluster.dataSha256("alpha", 0));
    }
}
