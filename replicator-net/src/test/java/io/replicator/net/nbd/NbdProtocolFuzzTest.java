package io.replicator.net.nbd;

import io.replicator.fixtures.InMemoryVolume;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against a live server: random bytes, and well-framed options and requests with random fields
 * (bad magic, lengths, commands, flags, offsets past the end, truncation). Each try must end with the server
 * answering or closing (never hanging past the socket timeout), no failure may reach the server's error log, and a
 * second client attached all along must keep being served correctly. jqwik reports the seed of a failing try.
 * (jqwik runs on its own engine, so socket timeouts, not JUnit's {@code @Timeout}, bound every try.)
 */
class NbdProtocolFuzzTest {
    private static final long SIZE = 1 << 20;
    private static final List<Throwable> FAILURES = new CopyOnWriteArrayList<>();
    private static NbdServer server;
    private static InetSocketAddress address;
    private static NbdTestClient witness;
    private static long witnessCookie;

    @BeforeContainer
    static void start() throws IOException {
        NbdExport export = new NbdExport("fuzz", "", new VolumeNbdBackend(new InMemoryVolume(SIZE)), false);
        server = NbdServer.start(List.of(new InetSocketAddress("127.0.0.1", 0)), NbdExports.of(export), NbdServer.Options.defaults().withErrorLog(FAILURES::add));
        address = (InetSocketAddress) server.boundAddresses().get(0);
        witness = NbdTestClient.attach(address, "fuzz", false);
    }

    @AfterContainer
    static void stop() throws IOException {
        witness.close();
        server.close();
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.MIXIN)
    void shouldAnswerOrDisconnectWhenTheHandshakeIsHostile(@ForAll("handshakes") byte[] input) throws IOException {
        exchange(input);
        assertWitnessServed();
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.MIXIN)
    void shouldAnswerOrDisconnectWhenRequestsAreHostile(@ForAll("requests") byte[] input) throws IOException {
        exchange(concat(attachPrefix(), input));
        assertWitnessServed();
    }

    @Provide
    Arbitrary<byte[]> handshakes() {
        Arbitrary<byte[]> options = Combinators.combine(
            Arbitraries.of(NbdDescriptor.IHAVEOPT, NbdDescriptor.IHAVEOPT, 0L, 0x1234L),
            Arbitraries.integers().between(0, 14),
            Arbitraries.of(0, 1, 2, 6, 100, 20_000, -1),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40)
        ).as((magic, option, length, data) -> ByteBuffer.allocate(16 + data.length).putLong(magic).putInt(option)
            .putInt(length).put(data).array());
        Arbitrary<byte[]> framed = options.list().ofMaxSize(6).map(list -> {
            byte[] all = ByteBuffer.allocate(4).putInt(3).array();
            for (byte[] one : list) {
                all = concat(all, one);
            }
            return all;
        });
        return Arbitraries.oneOf(framed, Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    }

    @Provide
    Arbitrary<byte[]> requests() {
        Arbitrary<byte[]> request = Combinators.combine(
            Arbitraries.of(NbdDescriptor.REQUEST_MAGIC, NbdDescriptor.REQUEST_MAGIC, NbdDescriptor.REQUEST_MAGIC, 7),
            Arbitraries.of(0, 1, 2, 16, 0xffff),
            Arbitraries.integers().between(0, 9),
            Arbitraries.of(0L, 4096L, SIZE - 1, SIZE, -1L, Long.MAX_VALUE),
            Arbitraries.of(0, 1, 512, 4096, (int) SIZE + 1, NbdDescriptor.MAX_PAYLOAD_BYTES + 1, -1),
            Arbitraries.integers().between(0, 64)
        ).as((magic, flags, type, offset, length, payload) -> ByteBuffer.allocate(28 + payload).putInt(magic)
            .putShort(flags.shortValue()).putShort(type.shortValue()).putLong(1).putLong(offset).putInt(length)
            .array());
        return Arbitraries.oneOf(
            request.list().ofMaxSize(5).map(list -> list.stream().reduce(new byte[0], NbdProtocolFuzzTest::concat)),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(100));
    }

    /** Sends the input, half-closes, and drains until the server closes. */
    private static void exchange(byte[] input) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(20_000);
            try {
                socket.getOutputStream().write(input);
                socket.shutdownOutput();
            } catch (IOException closedEarly) {
                // The server may close before reading everything: that is an allowed outcome.
            }
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[65536];
            try {
                while (in.read(sink) >= 0) {
                    // drain
                }
            } catch (SocketTimeoutException hung) {
                throw new AssertionError("the server neither answered nor closed within 20 s", hung);
            } catch (IOException reset) {
                // A reset is a clean disconnect too.
            }
        }
    }

    private static void assertWitnessServed() throws IOException {
        byte[] data = new byte[512];
        long cookie = ++witnessCookie;
        Arrays.fill(data, (byte) cookie);
        witness.request(0, NbdDescriptor.CMD_WRITE, cookie, 8192, data.length, data);
        NbdTestClient.Reply written = witness.readReply(0);
        assertThat(written.error()).isZero();
        assertThat(written.cookie()).isEqualTo(cookie);
        witness.request(0, NbdDescriptor.CMD_READ, cookie, 8192, data.length, null);
        NbdTestClient.Reply read = witness.readReply(data.length);
        assertThat(read.error()).isZero();
        assertThat(read.data()).isEqualTo(data);
        assertThat(FAILURES).isEmpty();
    }

    private static byte[] attachPrefix() {
        byte[] name = "fuzz".getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 16 + 4 + name.length + 2).putInt(3).putLong(NbdDescriptor.IHAVEOPT)
            .putInt(NbdDescriptor.OPT_GO).putInt(4 + name.length + 2).putInt(name.length).put(name)
            .putShort((short) 0).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
