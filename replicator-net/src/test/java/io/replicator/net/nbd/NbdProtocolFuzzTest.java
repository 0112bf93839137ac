package io.replicator.net.nbd;

import io.replicator.fixtures.InMemoryVolume;
import io.replicator.core.testing.SeededTries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against a live server: random bytes, and well-framed options and requests with random fields
 * (bad magic, lengths, commands, flags, offsets past the end, truncation). Each try must end with the server
 * answering or closing (never hanging past the socket timeout), no failure may reach the server's error log, and a
 * second client attached all along must keep being served correctly. Socket timeouts bound every try, and a JUnit
 * timeout each test. Seeded ({@link SeededTries}: the seed is printed, and {@code -Dreplicator.seed=S} repeats a run);
 * the edge cases (empty input, no options, extreme fields) come first.
 */
class NbdProtocolFuzzTest {
    private static final long SIZE = 1 << 20;
    private static final List<Throwable> FAILURES = new CopyOnWriteArrayList<>();
    private static NbdServer server;
    private static InetSocketAddress address;
    private static NbdTestClient witness;
    private static long witnessCookie;

    @BeforeAll
    static void start() throws IOException {
        NbdExport export = new NbdExport("fuzz", "", new VolumeNbdBackend(new InMemoryVolume(SIZE)), false);
        server = NbdServer.start(List.of(new InetSocketAddress("127.0.0.1", 0)), NbdExports.of(export), NbdServer.Options.defaults().withErrorLog(FAILURES::add));
        address = (InetSocketAddress) server.boundAddresses().get(0);
        witness = NbdTestClient.attach(address, "fuzz", false);
    }

    @AfterAll
    static void stop() throws IOException {
        witness.close();
        server.close();
    }

    /** What the client sends, as it goes on the wire. */
    record Input(byte[] bytes) {
        @Override
        public String toString() {
            return bytes.length + " bytes " + HexFormat.of().formatHex(bytes);
        }
    }

    @Test
    @Timeout(300)
    void shouldAnswerOrDisconnectWhenTheHandshakeIsHostile() {
        byte[] zeros = new byte[200];
        byte[] ones = new byte[200];
        Arrays.fill(ones, (byte) -1);
        SeededTries.check(200, List.of(
                new Input(new byte[0]),
                new Input(framed()),
                new Input(framed(option(NbdDescriptor.IHAVEOPT, 0, 0, new byte[0]))),
                new Input(framed(option(NbdDescriptor.IHAVEOPT, 14, -1, new byte[0]))),
                new Input(framed(option(NbdDescriptor.IHAVEOPT, 1, 20_000, new byte[40]))),
                new Input(framed(option(0L, 0, 0, new byte[0]))),
                new Input(zeros),
                new Input(ones)),
            random -> new Input(random.nextBoolean() ? framedOptions(random) : bytes(random, 200)),
            input -> {
                exchange(input.bytes());
                assertWitnessServed();
            });
    }

    @Test
    @Timeout(300)
    void shouldAnswerOrDisconnectWhenRequestsAreHostile() {
        SeededTries.check(200, List.of(
                new Input(new byte[0]),
                new Input(request(NbdDescriptor.REQUEST_MAGIC, 0, NbdDescriptor.CMD_READ, 0, 0, 0)),
                new Input(request(NbdDescriptor.REQUEST_MAGIC, 0xffff, 9, Long.MAX_VALUE, -1, 64)),
                new Input(request(7, 0, NbdDescriptor.CMD_READ, 0, 0, 0)),
                new Input(request(NbdDescriptor.REQUEST_MAGIC, 0, NbdDescriptor.CMD_WRITE, SIZE - 1, 512, 0)),
                new Input(request(NbdDescriptor.REQUEST_MAGIC, 0, NbdDescriptor.CMD_WRITE, 0,
                    NbdDescriptor.MAX_PAYLOAD_BYTES + 1, 0)),
                new Input(request(NbdDescriptor.REQUEST_MAGIC, 0, NbdDescriptor.CMD_DISC, -1L, (int) SIZE + 1, 0)),
                new Input(new byte[100])),
            random -> new Input(random.nextBoolean() ? requests(random) : bytes(random, 100)),
            input -> {
                exchange(concat(attachPrefix(), input.bytes()));
                assertWitnessServed();
            });
    }

    /** Up to 6 options with random fields after the client flags (3: fixed newstyle, no zeroes). */
    private static byte[] framedOptions(SplittableRandom random) {
        byte[][] options = new byte[random.nextInt(7)][];
        for (int i = 0; i < options.length; i++) {
            options[i] = option(pick(random, NbdDescriptor.IHAVEOPT, NbdDescriptor.IHAVEOPT, 0L, 0x1234L),
                random.nextInt(15), (int) pick(random, 0, 1, 2, 6, 100, 20_000, -1), bytes(random, 40));
        }
        return framed(options);
    }

    private static byte[] framed(byte[]... options) {
        byte[] all = ByteBuffer.allocate(4).putInt(3).array();
        for (byte[] one : options) {
            all = concat(all, one);
        }
        return all;
    }

    private static byte[] option(long magic, int option, int length, byte[] data) {
        return ByteBuffer.allocate(16 + data.length).putLong(magic).putInt(option).putInt(length).put(data).array();
    }

    /** Up to 5 requests with random fields, each followed by up to 64 zero bytes. */
    private static byte[] requests(SplittableRandom random) {
        byte[] all = new byte[0];
        for (int i = random.nextInt(6); i > 0; i--) {
            all = concat(all, request((int) pick(random, NbdDescriptor.REQUEST_MAGIC, NbdDescriptor.REQUEST_MAGIC,
                    NbdDescriptor.REQUEST_MAGIC, 7), (int) pick(random, 0, 1, 2, 16, 0xffff), random.nextInt(10),
                pick(random, 0L, 4096L, SIZE - 1, SIZE, -1L, Long.MAX_VALUE),
                (int) pick(random, 0, 1, 512, 4096, (int) SIZE + 1, NbdDescriptor.MAX_PAYLOAD_BYTES + 1, -1),
                random.nextInt(65)));
        }
        return all;
    }

    private static byte[] request(int magic, int flags, int type, long offset, int length, int payload) {
        return ByteBuffer.allocate(28 + payload).putInt(magic).putShort((short) flags).putShort((short) type)
            .putLong(1).putLong(offset).putInt(length).array();
    }

    /** Up to {@code maxLength} random bytes. */
    private static byte[] bytes(SplittableRandom random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static long pick(SplittableRandom random, long... values) {
        return values[random.nextInt(values.length)];
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
