package io.replicator.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.generation.LastWrite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class MappedLastWriteMemoTest {
    @TempDir
    Path dir;

    @Test
    void aFreshMemoRecallsNothing() throws IOException {
        assertThat(MappedLastWriteMemo.open(dir.resolve("m")).recall()).isEqualTo(LastWrite.NONE);
    }

    @Test
    void whatIsRecordedIsReadBackByTheNextProcess() throws IOException {
        Path file = dir.resolve("m");
        MappedLastWriteMemo memo = MappedLastWriteMemo.open(file);
        memo.record(new LastWrite(2, 41));
        memo.record(new LastWrite(2, 42));

        assertThat(MappedLastWriteMemo.open(file).recall()).isEqualTo(new LastWrite(2, 42));
        MappedLastWriteMemo next = MappedLastWriteMemo.open(file);
        next.record(new LastWrite(0, 7));
        assertThat(MappedLastWriteMemo.open(file).recall()).as("a later process goes on from the newest")
            .isEqualTo(new LastWrite(0, 7));
        next.record(LastWrite.NONE);
        assertThat(MappedLastWriteMemo.open(file).recall()).isEqualTo(LastWrite.NONE);
    }

    /** A process killed in the middle of a record leaves that slot torn: the other one, one write older, counts. */
    @Test
    void aTornSlotFallsBackToTheOtherOne() throws IOException {
        Path file = dir.resolve("m");
        MappedLastWriteMemo memo = MappedLastWriteMemo.open(file);
        memo.record(new LastWrite(1, 100));
        memo.record(new LastWrite(1, 101)); // the second record goes to slot 0 (sequence 2)
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {9, 9, 9, 9}), 16); // slot 0's write id, torn
        }

        assertThat(MappedLastWriteMemo.open(file).recall()).isEqualTo(new LastWrite(1, 100));
    }

    @Test
    void garbageIsNoMemo() throws IOException {
        Path file = dir.resolve("m");
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

        assertThat(MappedLastWriteMemo.open(file).recall()).isEqualTo(LastWrite.NONE);
    }
}
