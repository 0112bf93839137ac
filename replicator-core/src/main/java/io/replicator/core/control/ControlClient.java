package io.replicator.core.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The CLI's end of the control socket: sends one request and relays the daemon's output. */
public final class ControlClient {
    private ControlClient() {
    }

    /** Whether a daemon answers on {@code socketPath}. */
    public static boolean isAlive(Path socketPath) {
        if (!Files.exists(socketPath)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException | RuntimeException notListening) {
            return false;
        }
    }

    /**
     * Sends {@code argv} to the daemon on {@code socketPath}, copies its output lines to {@code out} and
     * {@code err}, and returns its exit status.
     *
     * @throws IOException when no daemon answers, or the connection breaks before the exit status arrives
     */
    public static int call(Path socketPath, List<String> argv, PrintWriter out, PrintWriter err) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socketPath));
            channel.write(ByteBuffer.wrap((ControlProtocol.encode(argv) + "\n").getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(ControlProtocol.OUT)) {
                    out.println(line.substring(ControlProtocol.OUT.length()));
                    out.flush();
                } else if (line.startsWith(ControlProtocol.ERR)) {
                    err.println(line.substring(ControlProtocol.ERR.length()));
                    err.flush();
                } else if (line.startsWith(ControlProtocol.EXIT)) {
                    return Integer.parseInt(line.substring(ControlProtocol.EXIT.length()).trim());
                }
            }
            throw new IOException("the daemon closed the connection before answering (did it stop?)");
        }
    }
}
