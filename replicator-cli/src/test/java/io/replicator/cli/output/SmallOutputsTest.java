package io.replicator.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.PeerFlag;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.ResourceStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ShortStatus, GenerationIdLine and StatusJson. */
@Timeout(10)
class SmallOutputsTest {

    @Test
    void shouldJoinLocalThenPeerDisksWhenDstate() {
        ResourceStatus r = Snapshots.r0BobCarol();
        assertThat(ShortStatus.dstate(r, 0)).isEqualTo("UpToDate/Inconsistent/DUnknown");
        assertThat(ShortStatus.role(r)).isEqualTo("Primary");
        assertThat(ShortStatus.cstate(r.connections().get(1))).isEqualTo("Connecting");
        assertThat(ShortStatus.peerRole(r.connections().get(0))).isEqualTo("Secondary");
    }

    @Test
    void shouldPrintOnlyLocalDiskWhenNoPeers() {
        ResourceStatus r = Snapshots.resource("r9", io.replicator.core.state.Role.SECONDARY,
            List.of(Snapshots.device(0, DiskState.CONSISTENT)), List.of());
        assertThat(ShortStatus.dstate(r, 0)).isEqualTo("Consistent");
    }

    @Test
    void shouldPrintUpperHexAndFlagDigitsWhenGetGi() {
        int local = MetadataFlag.CONSISTENT.mask() | MetadataFlag.WAS_UP_TO_DATE.mask() | MetadataFlag.AL_CLEAN.mask();
        int peer = PeerFlag.CONNECTED.mask() | PeerFlag.FULL_SYNC.mask();
        assertThat(GenerationIdLine.format(0x8A3D6C0F1E2B4D5AL, 0, new long[] {0x51E7AC4B2F9D6E10L}, local, peer))
            .isEqualTo("8A3D6C0F1E2B4D5A:0000000000000000:51E7AC4B2F9D6E10:0000000000000000:1:1:0:0:1:0:1:0:0:1");
        assertThat(GenerationIdLine.format(-1L, 4, new long[] {1, 2, 3}, 0, 0))
            .isEqualTo("FFFFFFFFFFFFFFFF:0000000000000004:0000000000000001:0000000000000002:0:0:0:0:0:0:0:0:0:0");
    }

    @Test
    void shouldUseDrbdsetupKeysWhenJson() throws Exception {
        JsonNode root = new ObjectMapper().readTree(StatusJson.format(List.of(Snapshots.r0BobCarol())));
        assertThat(root.isArray()).isTrue();
        JsonNode r0 = root.get(0);
        assertThat(r0.get("name").asText()).isEqualTo("r0");
        assertThat(r0.get("role").asText()).isEqualTo("Primary");
        assertThat(r0.get("suspended").asBoolean()).isFalse();
        JsonNode device = r0.get("devices").get(0);
        assertThat(device.get("disk-state").asText()).isEqualTo("UpToDate");
        assertThat(device.get("minor").asInt()).isEqualTo(1000);
        assertThat(device.get("quorum").asBoolean()).isTrue();
        JsonNode bob = r0.get("connections").get(0);
        assertThat(bob.get("peer-node-id").asInt()).isEqualTo(1);
        assertThat(bob.get("name").asText()).isEqualTo("bob");
        assertThat(bob.get("connection-state").asText()).isEqualTo("Connected");
        assertThat(bob.get("peer-role").asText()).isEqualTo("Secondary");
        JsonNode pd = bob.get("peer_devices").get(0);
        assertThat(pd.get("replication-state").asText()).isEqualTo("SyncSource");
        assertThat(pd.get("peer-disk-state").asText()).isEqualTo("Inconsistent");
        assertThat(pd.get("resync-suspended").asText()).isEqualTo("no");
        assertThat(pd.get("percent-resync-done").decimalValue()).isEqualByComparingTo("37.50");
        assertThat(StatusJson.format(List.of()).strip()).isEqualTo("[ ]");
    }
}
