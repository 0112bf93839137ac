package io.replicator.net.control;

import io.replicator.core.control.ControlClient;
import io.replicator.core.control.ControlProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class ControlSocketTest {
    @TempDir
    Path folder;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Test
    void shouldRelayArgumentsOutputErrorAndStatus() throws Exception {
        Path socket = folder.resolve("run/alpha.sock");
        List<List<String>> seen = new ArrayList<>();
        try (ControlServer server = ControlServer.start(socket, (argv, out, err, connection) -> {
            seen.add(argv);
            out.println("line one");
            err.println("a warning");
            out.println("line two\nline three");
            return 11;
        }, errors::add)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = ControlClient.call(socket, List.of("primary", "r 0", "--force", "ü&%", ""),
                new PrintWriter(out), new PrintWriter(err));
            assertThat(status).isEqualTo(11);
            assertThat(out.toString()).isEqualTo("line one\nline two\nline three\n");
            assertThat(err.toString()).isEqualTo("a warning\n");
            assertThat(seen).containsExactly(List.of("primary", "r 0", "--force", "ü&%", ""));
            assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(socket).doesNotExist();
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldAnswerMalformedAndOversizedRequestsAndKeepServing() throws Exception {
        Path socket = folder.resolve("alpha.sock");
        try (ControlServer server = ControlServer.start(socket, (argv, out, err, c) -> 0, errors::add)) {
            assertThat(raw(socket, "bad%zzencoding\n")).contains("2 bad request").endsWith("x 1\n");
            assertThat(raw(socket, "x".repeat(ControlProtocol.MAX_REQUEST_BYTES + 10) + "\n"))
                .contains("request longer than").endsWith("x 1\n");
            assertThat(raw(socket, "   \n")).contains("empty request");
            assertThat(ControlClient.call(socket, List.of("status"), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))).isZero();
        }
    }

    @Test
    void shouldReportHandlerFailureAsInternalErrorWithoutDying() throws Exception {
        Path socket = folder.resolve("alpha.sock");
        try (ControlServer server = ControlServer.start(socket, (argv, out, err, c) -> {
            throw new IllegalStateException("boom");
        }, errors::add)) {
            StringWriter err = new StringWriter();
            assertThat(ControlClient.call(socket, List.of("x"), new PrintWriter(new StringWriter()),
                new PrintWriter(err))).isEqualTo(1);
            assertThat(err.toString()).contains("internal error").contains("boom");
            assertThat(errors).hasSize(1);
        }
    }

    @Test
    void shouldReplaceStaleSocketButRefuseLiveOne() throws Exception {
        Path socket = folder.resolve("alpha.sock");
        Files.createFile(socket);
        try (ControlServer first = ControlServer.start(socket, (argv, out, err, c) -> 0, errors::add)) {
            assertThat(ControlClient.isAlive(socket)).isTrue();
            assertThatThrownBy(() -> ControlServer.start(socket, (argv, out, err, c) -> 0, errors::add))
                .isInstanceOf(IOException.class).hasMessageContaining("already listening");
        }
        assertThat(ControlClient.isAlive(socket)).isFalse();
    }

    @Test
    void shouldTellStreamingHandlerWhenClientLeaves() throws Exception {
        Path socket = folder.resolve("alpha.sock");
        List<Boolean> endedBecauseClosed = new CopyOnWriteArrayList<>();
        try (ControlServer server = ControlServer.start(socket, (argv, out, err, connection) -> {
            for (int i = 0; i < 10_000 && !connection.isClosed(); i++) {
                out.println("event " + i);
                Thread.sleep(5);
            }
            endedBecauseClosed.add(connection.isClosed());
            return 0;
        }, errors::add)) {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                channel.write(ByteBuffer.wrap("events\n".getBytes(StandardCharsets.UTF_8)));
                byte[] some = new byte[20];
                assertThat(Channels.newInputStream(channel).read(some)).isPositive();
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (endedBecauseClosed.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(endedBecauseClosed).containsExactly(true);
        }
    }

    @Test
    void shouldFailClearlyWhenNoDaemonListens() {
        assertThatThrownBy(() -> ControlClient.call(folder.resolve("none.sock"), List.of("status"),
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isInstanceOf(IOException.class);
    }

    private static String raw(Path socket, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
