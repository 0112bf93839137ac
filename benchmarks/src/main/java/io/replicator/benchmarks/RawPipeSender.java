package io.replicator.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The sending half of the raw pipe: for every block, a positional write to the local file, then the same bytes to
 * the socket, one after the other on one thread (the simplest program that does both; the replicator overlaps the
 * two, so where both cost alike it may beat this baseline).
 *
 * <p>Stream mode: no per-block answer; a block's latency is its local write plus its send. Ack mode: the receiver
 * answers each block with one byte once it has written it; at most {@code iodepth} blocks are unanswered, and a
 * block's latency runs from the start of its local write to its answer (iodepth 1: the protocol-C-like round trip).
 * Either way the run ends when the receiver says it has written everything, so throughput counts both writers.
 */
final class RawPipeSender {
    /** Distinct block contents cycled through, so that generating data costs nothing during the run. */
    private static final int POOL = 8;
    private static final long CONNECT_RETRY_NS = 10_000_000_000L;

    private RawPipeSender() {
    }

    /** Runs one session and returns its JSON summary line. */
    static String run(InetSocketAddress receiver, Path file, RawPipeDescriptor.Session session, int iodepth)
        throws IOException, InterruptedException {
        int blockBytes = session.blockBytes();
        long blocks = session.blocks();
        ByteBuffer[] pool = pool(blockBytes);
        LatencyStats latency = new LatencyStats(blocks);
        try (FileChannel local = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             SocketChannel socket = connect(receiver)) {
            writeFully(socket, session.encode());
            long[] startNs = new long[iodepth];
            ByteBuffer answers = ByteBuffer.allocate(iodepth);
            long answered = 0;
            long begin = System.nanoTime();
            for (long block = 0; block < blocks; block++) {
                while (session.ack() && block - answered >= iodepth) {
                    answered += readAnswers(socket, answers, (int) (block - answered), startNs, answered, latency);
                }
                ByteBuffer data = pool[(int) (block % POOL)];
                data.clear().putLong(0, block);
                long start = System.nanoTime();
                startNs[(int) (block % iodepth)] = start;
                long position = block * blockBytes;
                while (data.hasRemaining()) {
                    position += local.write(data, position);
                }
                writeFully(socket, data.clear());
                if (session.fsyncEvery() > 0 && (block + 1) % session.fsyncEvery() == 0) {
                    local.force(false);
                }
                if (!session.ack()) {
                    latency.record(System.nanoTime() - start);
                }
            }
            while (session.ack() && answered < blocks) {
                answered += readAnswers(socket, answers, (int) Math.min(iodepth, blocks - answered), startNs,
                    answered, latency);
            }
            if (session.fsyncEvery() > 0) {
                local.force(false);
            }
            ByteBuffer done = ByteBuffer.allocate(1);
            readFully(socket, done);
            if (done.get(0) != RawPipeDescriptor.DONE) {
                throw new IOException("the receiver did not confirm the end");
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            double bytes = (double) blocks * blockBytes;
            return String.format(Locale.ROOT, "{\"role\":\"send\",\"mode\":\"%s\",\"block_bytes\":%d,\"blocks\":%d,"
                    + "\"total_bytes\":%d,\"iodepth\":%d,\"fsync_every\":%d,\"seconds\":%.3f,\"mb_per_s\":%.1f,"
                    + "\"mib_per_s\":%.1f,\"blocks_per_s\":%.0f,%s}", session.ack() ? "ack" : "stream", blockBytes,
                blocks, blocks * blockBytes, iodepth, session.fsyncEvery(), seconds, bytes / seconds / 1e6,
                bytes / seconds / (1 << 20), blocks / seconds, latency.json());
        }
    }

    /** Reads at least one and at most {@code outstanding} answers; returns how many, recording their latencies. */
    private static int readAnswers(SocketChannel socket, ByteBuffer answers, int outstanding, long[] startNs,
                                   long firstUnanswered, LatencyStats latency) throws IOException {
        answers.clear().limit(outstanding);
        if (socket.read(answers) < 0) {
            throw new EOFException("the receiver closed the connection");
        }
        long now = System.nanoTime();
        int count = answers.position();
        for (int i = 0; i < count; i++) {
            if (answers.get(i) != RawPipeDescriptor.ACK) {
                throw new IOException("unexpected answer byte " + answers.get(i));
            }
            latency.record(now - startNs[(int) ((firstUnanswered + i) % startNs.length)]);
        }
        return count;
    }

    private static ByteBuffer[] pool(int blockBytes) {
        SplittableRandom random = new SplittableRandom(blockBytes);
        ByteBuffer[] pool = new ByteBuffer[POOL];
        for (int i = 0; i < POOL; i++) {
            pool[i] = ByteBuffer.allocateDirect(blockBytes);
            while (pool[i].remaining() >= Long.BYTES) {
                pool[i].putLong(random.nextLong());
            }
            pool[i].clear();
        }
        return pool;
    }

    /** Connects, retrying for a while: the script starts the receiver just before the sender. */
    private static SocketChannel connect(InetSocketAddress receiver) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CONNECT_RETRY_NS;
        while (true) {
            SocketChannel socket = SocketChannel.open();
            try {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                socket.connect(receiver);
                return socket;
            } catch (ConnectException refused) {
                socket.close();
                if (System.nanoTime() - deadline > 0) {
                    throw refused;
                }
                Thread.sleep(50);
            }
        }
    }

    static void writeFully(SocketChannel socket, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            socket.write(data);
        }
    }

    static void readFully(SocketChannel socket, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            if (socket.read(data) < 0) {
                throw new EOFException("the peer closed the connection");
            }
        }
    }
}
