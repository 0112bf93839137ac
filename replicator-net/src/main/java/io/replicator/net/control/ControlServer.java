package io.replicator.net.control;

import io.replicator.core.control.ControlClient;
import io.replicator.core.control.ControlProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The daemon's end of the control socket: accepts CLI connections on a Unix domain socket and runs each request on a
 * thread of its own (requests are few; a streaming {@code events} request may last long).
 *
 * <p>The socket file is created with mode 0600 in a folder of mode 0700: only the owner may drive the daemon. A stale
 * socket file left by a crashed daemon is replaced; a live one (something answers on it) is an error.
 */
public final class ControlServer implements AutoCloseable {
    private final Path socketPath;
    private final ServerSocketChannel server;
    private final ControlHandler handler;
    private final Consumer<Throwable> errorLog;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path socketPath, ServerSocketChannel server, ControlHandler handler,
                          Consumer<Throwable> errorLog) {
        this.socketPath = socketPath;
        this.server = server;
        this.handler = handler;
        this.errorLog = errorLog;
        this.acceptor = new Thread(this::acceptLoop, "control-accept " + socketPath.getFileName());
        this.acceptor.setDaemon(true);
    }

    /** Binds {@code socketPath} and starts accepting. {@code errorLog} hears of failures that reach no client. */
    public static ControlServer start(Path socketPath, ControlHandler handler, Consumer<Throwable> errorLog)
        throws IOException {
        Path folder = socketPath.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(socketPath)) {
            if (ControlClient.isAlive(socketPath)) {
                throw new IOException("another daemon is already listening on " + socketPath);
            }
            Files.delete(socketPath);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socketPath));
            Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException failure) {
            server.close();
            throw failure;
        }
        ControlServer control = new ControlServer(socketPath, server, handler, errorLog);
        control.acceptor.start();
        return control;
    }

    /** Where the socket lives. */
    public Path socketPath() {
        return socketPath;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                clients.add(client);
                Thread worker = new Thread(() -> serve(client), "control-request");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException failure) {
                if (!closed) {
                    errorLog.accept(failure);
                }
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                StandardCharsets.UTF_8));
            Writer raw = new OutputStreamWriter(Channels.newOutputStream(client), StandardCharsets.UTF_8);
            PrefixedWriter out = new PrefixedWriter(raw, ControlProtocol.OUT);
            PrefixedWriter err = new PrefixedWriter(raw, ControlProtocol.ERR);
            int status;
            PrintWriter outPrinter = new PrintWriter(out, true);
            PrintWriter errPrinter = new PrintWriter(err, true);
            try {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                List<String> argv = ControlProtocol.decode(line);
                // A closed client shows as a failed write: PrintWriter records it and checkError() reports it.
                status = handler.handle(argv, outPrinter, errPrinter, () -> closed || !client.isOpen()
                    || outPrinter.checkError());
            } catch (IllegalArgumentException badRequest) {
                errPrinter.println("bad request: " + badRequest.getMessage());
                status = 1;
            } catch (Exception | Error failure) {
                errorLog.accept(failure);
                errPrinter.println("internal error: " + failure);
                status = 1;
            }
            outPrinter.flush();
            errPrinter.flush();
            synchronized (raw) {
                raw.write(ControlProtocol.EXIT + status + "\n");
                raw.flush();
            }
        } catch (IOException clientGone) {
            // The CLI went away (Ctrl-C on events, say); nothing to report.
        } finally {
            clients.remove(client);
        }
    }

    /** Reads the request line, refusing one longer than the limit; null when the client sent nothing. */
    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() >= ControlProtocol.MAX_REQUEST_BYTES) {
                throw new IllegalArgumentException("request longer than " + ControlProtocol.MAX_REQUEST_BYTES
                    + " bytes");
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (SocketChannel client : clients) {
            client.close();
        }
        Files.deleteIfExists(socketPath);
    }

    /** Prefixes every line written through it, and never splits a line between two writers. */
    private static final class PrefixedWriter extends Writer {
        private final Writer target;
        private final String prefix;
        private final StringBuilder pending = new StringBuilder();

        PrefixedWriter(Writer target, String prefix) {
            this.target = target;
            this.prefix = prefix;
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                char c = chars[i];
                if (c == '\n') {
                    emit();
                } else if (c != '\r') {
                    pending.append(c);
                }
            }
        }

        private void emit() throws IOException {
            synchronized (target) {
                target.write(prefix);
                target.write(pending.toString());
                target.write('\n');
            }
            pending.setLength(0);
        }

        @Override
        public void flush() throws IOException {
            synchronized (target) {
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (pending.length() > 0) {
                emit();
            }
            flush();
        }
    }
}
