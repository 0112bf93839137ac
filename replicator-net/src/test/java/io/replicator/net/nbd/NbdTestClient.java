package io.replicator.net.nbd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/** A small blocking NBD client for tests: fixed-newstyle handshake with GO, raw requests, simple replies. */
final class NbdTestClient implements AutoCloseable {
    /** A simple reply: error and, for a successful read, the data. */
    record Reply(int error, long cookie, byte[] data) {
    }

    private final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    long sizeBytes;
    int transmissionFlags;

    NbdTestClient(SocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    static NbdTestClient attach(InetSocketAddress address, String export, boolean structured) throws IOException {
        NbdTestClient client = new NbdTestClient(address);
        client.readGreeting();
        client.out.writeInt(NbdDescriptor.FLAG_FIXED_NEWSTYLE | NbdDescriptor.FLAG_NO_ZEROES);
        if (structured) {
            client.option(NbdDescriptor.OPT_STRUCTURED_REPLY, new byte[0]);
            if (client.readOptionReply()[1] != NbdDescriptor.REP_ACK) {
                throw new IOException("structured replies refused");
            }
        }
        byte[] name = export.getBytes(StandardCharsets.UTF_8);
        byte[] go = new byte[4 + name.length + 2];
        java.nio.ByteBuffer.wrap(go).putInt(name.length).put(name).putShort((short) 0);
        client.option(NbdDescriptor.OPT_GO, go);
        while (true) {
            int[] reply = client.readOptionReply();
            if (reply[1] == NbdDescriptor.REP_ACK) {
                return client;
            }
            if (reply[1] != NbdDescriptor.REP_INFO) {
                throw new IOException("GO refused with 0x" + Integer.toHexString(reply[1]));
            }
        }
    }

    void readGreeting() throws IOException {
        if (in.readLong() != NbdDescriptor.NBDMAGIC || in.readLong() != NbdDescriptor.IHAVEOPT) {
            throw new IOException("bad greeting");
        }
        in.readShort();
    }

    void option(int option, byte[] data) throws IOException {
        out.writeLong(NbdDescriptor.IHAVEOPT);
        out.writeInt(option);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    /** Reads one option reply: {option, type, length}; keeps INFO_EXPORT's size and flags. */
    int[] readOptionReply() throws IOException {
        if (in.readLong() != NbdDescriptor.OPTION_REPLY_MAGIC) {
            throw new IOException("bad option reply magic");
        }
        int option = in.readInt();
        int type = in.readInt();
        int length = in.readInt();
        byte[] data = in.readNBytes(length);
        if (type == NbdDescriptor.REP_INFO && length == 12) {
            java.nio.ByteBuffer info = java.nio.ByteBuffer.wrap(data);
            info.getShort();
            sizeBytes = info.getLong();
            transmissionFlags = info.getShort() & 0xffff;
        }
        return new int[] {option, type, length};
    }

    void request(int flags, int type, long cookie, long offset, int length, byte[] payload) throws IOException {
        out.writeInt(NbdDescriptor.REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt(length);
        if (payload != null) {
            out.write(payload);
        }
        out.flush();
    }

    /** Reads a simple reply; {@code readLength} bytes of data follow a successful READ. */
    Reply readReply(int readLength) throws IOException {
        if (in.readInt() != NbdDescriptor.SIMPLE_REPLY_MAGIC) {
            throw new IOException("bad reply magic");
        }
        int error = in.readInt();
        long cookie = in.readLong();
        byte[] data = error == 0 && readLength > 0 ? in.readNBytes(readLength) : new byte[0];
        return new Reply(error, cookie, data);
    }

    /** Whether the server has closed the connection (reads to end of stream, at most 1 MiB). */
    boolean closedByServer() throws IOException {
        try {
            for (int i = 0; i < (1 << 20); i++) {
                if (in.read() < 0) {
                    return true;
                }
            }
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
