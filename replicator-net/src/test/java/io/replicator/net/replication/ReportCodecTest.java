package io.replicator.net.replication;

import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import io.replicator.net.protocol.PeerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A report survives its three wire messages, every flag and the last write included. */
@Timeout(10)
class ReportCodecTest {
    @Test
    void decodesWhatItEncodes() {
        GenerationIds ids = GenerationIds.of(0x1234L, new long[] {0x5678L, 0}, 0x9ABCL);
        for (boolean flag : new boolean[] {false, true}) {
            for (LastWrite last : List.of(LastWrite.NONE, new LastWrite(0, 1_765_000_000_000_123L),
                new LastWrite(30, 7))) {
                VolumeReport report = new VolumeReport(3, ids, 1, 8L << 20, Role.SECONDARY, DiskState.UP_TO_DATE,
                    flag, !flag, 42, flag, !flag, flag, last, !flag, flag, !flag);

                List<PeerMessage> wire = ReportCodec.encode(report);
                VolumeReport decoded = ReportCodec.decode((PeerMessage.Uuids) wire.get(0),
                    (PeerMessage.Sizes) wire.get(1), (PeerMessage.State) wire.get(2));

                assertThat(decoded).usingRecursiveComparison().isEqualTo(report);
            }
        }
    }
}
