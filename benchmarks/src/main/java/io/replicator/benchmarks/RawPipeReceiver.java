package io.replicator.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The receiving half of the raw pipe: accepts one sender, writes every block it receives at its place in the file,
 * in order, forcing every {@code fsyncEvery} blocks and at the end if the sender asked, answers each block with one
 * byte in ack mode (after writing it), and one byte once everything is written. Then it exits.
 */
final class RawPipeReceiver {
    private RawPipeReceiver() {
    }

    /** Serves one session and returns its JSON summary line. */
    static String run(InetSocketAddress listen, Path file) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(listen)) {
            System.err.println("raw pipe: listening on " + server.getLocalAddress());
            try (SocketChannel peer = server.accept();
                 FileChannel local = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                peer.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer header = ByteBuffer.allocate(RawPipeDescriptor.HEADER_BYTES);
                RawPipeSender.readFully(peer, header);
                RawPipeDescriptor.Session session = RawPipeDescriptor.Session.decode(header.flip());
                ByteBuffer block = ByteBuffer.allocateDirect(session.blockBytes());
                ByteBuffer answer = ByteBuffer.allocate(1);
                long begin = System.nanoTime();
                for (long index = 0; index < session.blocks(); index++) {
                    RawPipeSender.readFully(peer, block.clear());
                    block.flip();
                    long position = index * session.blockBytes();
                    while (block.hasRemaining()) {
                        position += local.write(block, position);
                    }
                    if (session.fsyncEvery() > 0 && (index + 1) % session.fsyncEvery() == 0) {
                        local.force(false);
                    }
                    if (session.ack()) {
                        RawPipeSender.writeFully(peer, answer.clear().put(0, RawPipeDescriptor.ACK));
                    }
                }
                if (session.fsyncEvery() > 0) {
                    local.force(false);
                }
                RawPipeSender.writeFully(peer, answer.clear().put(0, RawPipeDescriptor.DONE));
                double seconds = (System.nanoTime() - begin) / 1e9;
                return String.format(Locale.ROOT, "{\"role\":\"receive\",\"blocks\":%d,\"total_bytes\":%d,"
                    + "\"seconds\":%.3f}", session.blocks(), session.totalBytes(), seconds);
            }
        }
    }
}
