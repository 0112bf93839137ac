package io.replicator.core.resource;

import io.replicator.core.config.ConfigException;
import io.replicator.core.config.Configuration;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class ResourceConductorTest {
    private static final long DATA = 8L << 20;

    private final List<String> handlerCalls = new ArrayList<>();
    private HeapVolume volume;

    private ResourceConductor conductor(String onIoError) throws IOException, ConfigException {
        ResourceConfig config = Configuration.load("t.res", """
            resource r0 {
              handlers { local-io-error "/usr/local/bin/notify"; }
              disk { on-io-error %s; }
              on alpha { node-id 0; address 127.0.0.1:7000; volume 0 { device /dev/drbd3; disk /a; meta-disk internal; } }
              on bravo { node-id 1; address 127.0.0.1:7001; volume 0 { device /dev/drbd3; disk /b; meta-disk internal; } }
            }
            """.formatted(onIoError)).resource("r0");
        volume = new HeapVolume(MetadataLayout.internalForDataSize(DATA, 1, MetadataLayout.DEFAULT_AL_SIZE_BYTES)
            .backingSizeBytes());
        BackingDisk.create(volume, Optional.empty(), new BackingDisk.Format(0, List.of(1), 1, 1237, DATA, 1)).close();
        return new ResourceConductor(config, "alpha", v -> BackingDisk.open(volume, Optional.empty()),
            (handler, command, env) -> handlerCalls.add(handler + " " + command + " " + env.get("DRBD_RESOURCE")
                + " " + env.get("DRBD_MINOR") + " " + env.get("DRBD_PEER_NODE_ID")),
            new SplittableRandom(5));
    }

    private Superblock superblock(ResourceConductor conductor) {
        return conductor.superblock(0).orElseThrow();
    }

    @Test
    void shouldAttachFreshMetadataInconsistentAndConnect() throws Exception {
        ResourceConductor conductor = conductor("detach");
        assertThat(conductor.up().ok()).isTrue();
        assertThat(conductor.diskStates()).isEqualTo(Map.of(0, DiskState.INCONSISTENT));
        assertThat(conductor.connectionStates()).isEqualTo(Map.of("bravo", ConnectionState.CONNECTING));
        assertThat(conductor.role()).isEqualTo(Role.SECONDARY);
    }

    @Test
    void shouldRefusePromotionWithoutUpToDateDataUnlessForced() throws Exception {
        ResourceConductor conductor = conductor("detach");
        conductor.up();
        Outcome refused = conductor.primary(false);
        assertThat(refused.kind()).isEqualTo(Outcome.Kind.NO_UP_TO_DATE_DATA);
        assertThat(refused.message()).startsWith("State change failed: (-2) Need access to UpToDate data");
        assertThat(conductor.role()).isEqualTo(Role.SECONDARY);

        assertThat(conductor.primary(true).ok()).isTrue();
        assertThat(conductor.role()).isEqualTo(Role.PRIMARY);
        assertThat(conductor.diskStates()).isEqualTo(Map.of(0, DiskState.UP_TO_DATE));
        Superblock promoted = superblock(conductor);
        assertThat(promoted.has(MetadataFlag.PRIMARY_IND)).isTrue();
        assertThat(promoted.has(MetadataFlag.CONSISTENT)).isTrue();
        assertThat(promoted.currentUuid() & 1).as("primary bit").isEqualTo(1);
        assertThat(promoted.currentUuid()).isNotEqualTo(GenerationIds.UUID_JUST_CREATED);
        assertThat(promoted.peers().get(0).bitmapUuid()).as("old current rotated into the absent peer's slot")
            .isEqualTo(GenerationIds.UUID_JUST_CREATED);

        assertThat(conductor.secondary().ok()).isTrue();
        assertThat(superblock(conductor).has(MetadataFlag.PRIMARY_IND)).isFalse();
    }

    @Test
    void shouldRefuseDetachingThePrimarysOnlyDiskUnlessForced() throws Exception {
        ResourceConductor conductor = conductor("detach");
        conductor.up();
        conductor.primary(true);
        assertThat(conductor.detach(false).kind()).isEqualTo(Outcome.Kind.NO_UP_TO_DATE_DATA);
        assertThat(conductor.detach(true).ok()).isTrue();
        assertThat(conductor.diskStates()).isEqualTo(Map.of(0, DiskState.DISKLESS));
    }

    @Test
    void shouldOutdateOnlyASecondaryWithData() throws Exception {
        ResourceConductor conductor = conductor("detach");
        conductor.up();
        assertThat(conductor.outdate().message()).contains("(-16) Disk state is lower than outdated");
        conductor.primary(true);
        assertThat(conductor.outdate().kind()).isEqualTo(Outcome.Kind.REFUSED);
        conductor.secondary();
        assertThat(conductor.outdate().ok()).isTrue();
        assertThat(conductor.diskStates()).isEqualTo(Map.of(0, DiskState.OUTDATED));
        assertThat(superblock(conductor).has(MetadataFlag.OUTDATED)).isTrue();
        assertThat(conductor.primary(false).kind()).isEqualTo(Outcome.Kind.NO_UP_TO_DATE_DATA);
    }

    @Test
    void shouldSkipInitialSyncWithClearBitmap() throws Exception {
        ResourceConductor conductor = conductor("detach");
        conductor.up();
        assertThat(conductor.newCurrentUuid(true).ok()).isTrue();
        assertThat(conductor.diskStates()).isEqualTo(Map.of(0, DiskState.UP_TO_DATE));
        assertThat(conductor.primary(false).ok()).isTrue();
    }

    @Test
    void shouldRefuseDisconnectWhenAlreadyStandAlone() throws Exception {
        ResourceConductor conductor = conductor("detach");
        conductor.attach();
        assertThat(conductor.disconnect().message()).contains("(-9) Can not disconnect a StandAlone device");
        conductor.connect(true);
        assertThat(conductor.discardMyData()).isTrue();
        assertThat(conductor.disconnect().ok()).isTrue();
    }

    @Test
    void shouldDetachAndCallHandlerOnLocalIoErrorWhenPolicyIsDetach() throws Exception {
        ResourceConductor conductor = conductor("detach");
        conductor.up();
        volume.failNextWrite();
        Outcome outcome = conductor.newCurrentUuid(false);
        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
        assertThat(outcome.message()).contains("injected write failure").contains("detached");
        assertThat(conductor.diskStates()).isEqualTo(Map.of(0, DiskState.DISKLESS));
        assertThat(handlerCalls).containsExactly("local-io-error /usr/local/bin/notify r0 3 1");
    }

    @Test
    void shouldKeepDiskAndCallHandlerWhenPolicyIsCallLocalIoError() throws Exception {
        ResourceConductor conductor = conductor("call-local-io-error");
        conductor.up();
        volume.failNextWrite();
        assertThat(conductor.newCurrentUuid(false).message()).contains("local-io-error handler was called");
        assertThat(conductor.diskStates()).isEqualTo(Map.of(0, DiskState.INCONSISTENT));
        assertThat(handlerCalls).hasSize(1);
        assertThat(conductor.newCurrentUuid(false).ok()).as("the disk works again").isTrue();
    }

    @Test
    void shouldKeepDiskWhenPolicyIsPassOn() throws Exception {
        ResourceConductor conductor = conductor("pass_on");
        conductor.up();
        volume.failNextWrite();
        assertThat(conductor.newCurrentUuid(false).message()).contains("passed on");
        assertThat(conductor.diskStates()).isEqualTo(Map.of(0, DiskState.INCONSISTENT));
    }

    @Test
    void shouldDescribeStateInSnapshot() throws Exception {
        ResourceConductor conductor = conductor("detach");
        conductor.up();
        conductor.primary(true);
        var snapshot = conductor.snapshot();
        assertThat(snapshot.role()).isEqualTo(Role.PRIMARY);
        assertThat(snapshot.devices().get(0).minor()).isEqualTo(3);
        assertThat(snapshot.devices().get(0).statistics().sizeKiB()).isEqualTo(DATA / 1024);
        assertThat(snapshot.connections().get(0).peerName()).isEqualTo("bravo");
        assertThat(snapshot.connections().get(0).paths().get(0).local()).isEqualTo("ipv4:127.0.0.1:7000");
    }
}
