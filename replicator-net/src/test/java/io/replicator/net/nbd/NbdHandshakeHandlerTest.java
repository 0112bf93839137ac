package io.replicator.net.nbd;

import io.replicator.net.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.replicator.fixtures.InMemoryVolume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
@ExtendWith(NettyLeakCheck.class)
class NbdHandshakeHandlerTest {
    private final NbdExport export = new NbdExport("disk", "a disk",
        new VolumeNbdBackend(new InMemoryVolume(1 << 20)), false);
    private final NbdExports exports = new NbdExports() {
        @Override
        public List<NbdExport> list() {
            return List.of(export);
        }

        @Override
        public Optional<NbdExport> find(String name) {
            return name.equals("disk") ? Optional.of(export) : Optional.empty();
        }

        @Override
        public String whyNot(String name) {
            return "secondary here";
        }
    };
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        NbdServer.Options options = NbdServer.Options.defaults();
        channel = new EmbeddedChannel(new NbdHandshakeHandler(exports,
            e -> new NbdTransmissionHandler(e, Runnable::run, options, h -> { }, h -> { }), 0));
        ByteBuf greeting = channel.readOutbound();
        assertThat(greeting.readLong()).isEqualTo(NbdDescriptor.NBDMAGIC);
        assertThat(greeting.readLong()).isEqualTo(NbdDescriptor.IHAVEOPT);
        assertThat(greeting.readShort()).isEqualTo((short) 3);
        greeting.release();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf option(int option, ByteBuf data) {
        ByteBuf buf = Unpooled.buffer().writeLong(NbdDescriptor.IHAVEOPT).writeInt(option)
            .writeInt(data.readableBytes()).writeBytes(data);
        data.release();
        return buf;
    }

    private static ByteBuf goData(String name, int... infos) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuf data = Unpooled.buffer().writeInt(bytes.length).writeBytes(bytes).writeShort(infos.length);
        for (int info : infos) {
            data.writeShort(info);
        }
        return data;
    }

    /** Reads one option reply; returns {type, length} and the data as a string. */
    private String reply(int expectedOption, int expectedType) {
        ByteBuf reply = channel.readOutbound();
        assertThat(reply).as("an option reply").isNotNull();
        try {
            assertThat(reply.readLong()).isEqualTo(NbdDescriptor.OPTION_REPLY_MAGIC);
            assertThat(reply.readInt()).isEqualTo(expectedOption);
            assertThat(reply.readInt()).isEqualTo(expectedType);
            int length = reply.readInt();
            return reply.readCharSequence(length, StandardCharsets.ISO_8859_1).toString();
        } finally {
            reply.release();
        }
    }

    @Test
    void shouldSendInfosAndEnterTransmissionWhenGoNamesAnExport() {
        channel.writeInbound(Unpooled.buffer().writeInt(3));
        channel.writeInbound(option(NbdDescriptor.OPT_GO, goData("disk", NbdDescriptor.INFO_NAME,
            NbdDescriptor.INFO_DESCRIPTION)));
        String info = reply(NbdDescriptor.OPT_GO, NbdDescriptor.REP_INFO);
        assertThat(info).hasSize(12);
        assertThat(reply(NbdDescriptor.OPT_GO, NbdDescriptor.REP_INFO)).endsWith("disk");
        assertThat(reply(NbdDescriptor.OPT_GO, NbdDescriptor.REP_INFO)).endsWith("a disk");
        assertThat(reply(NbdDescriptor.OPT_GO, NbdDescriptor.REP_INFO)).hasSize(14);
        reply(NbdDescriptor.OPT_GO, NbdDescriptor.REP_ACK);
        assertThat(channel.pipeline().get(NbdRequestDecoder.class)).isNotNull();
        assertThat(channel.pipeline().get(NbdHandshakeHandler.class)).isNull();
    }

    @Test
    void shouldAnswerErrUnknownWithTheReasonWhenTheExportIsMissing() {
        channel.writeInbound(Unpooled.buffer().writeInt(1));
        channel.writeInbound(option(NbdDescriptor.OPT_INFO, goData("other")));
        assertThat(reply(NbdDescriptor.OPT_INFO, NbdDescriptor.REP_ERR_UNKNOWN)).isEqualTo("secondary here");
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void shouldStayInSyncWhenOptionsAreUnknownOrTooBig() {
        channel.writeInbound(Unpooled.buffer().writeInt(1));
        channel.writeInbound(option(4242, Unpooled.wrappedBuffer(new byte[100])));
        reply(4242, NbdDescriptor.REP_ERR_UNSUP);
        channel.writeInbound(option(NbdDescriptor.OPT_STARTTLS, Unpooled.EMPTY_BUFFER));
        reply(NbdDescriptor.OPT_STARTTLS, NbdDescriptor.REP_ERR_UNSUP);
        channel.writeInbound(option(NbdDescriptor.OPT_SET_META_CONTEXT, Unpooled.wrappedBuffer(new byte[8])));
        reply(NbdDescriptor.OPT_SET_META_CONTEXT, NbdDescriptor.REP_ERR_UNSUP);
        channel.writeInbound(option(7777, Unpooled.wrappedBuffer(new byte[NbdDescriptor.MAX_OPTION_BYTES + 1])));
        reply(7777, NbdDescriptor.REP_ERR_TOO_BIG);
        channel.writeInbound(option(NbdDescriptor.OPT_LIST, Unpooled.EMPTY_BUFFER));
        assertThat(reply(NbdDescriptor.OPT_LIST, NbdDescriptor.REP_SERVER)).contains("disk");
        reply(NbdDescriptor.OPT_LIST, NbdDescriptor.REP_ACK);
        channel.writeInbound(option(NbdDescriptor.OPT_ABORT, Unpooled.EMPTY_BUFFER));
        reply(NbdDescriptor.OPT_ABORT, NbdDescriptor.REP_ACK);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shouldCloseWhenClientFlagsAreUnknown() {
        channel.writeInbound(Unpooled.buffer().writeInt(1 << 5));
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shouldCloseWithoutReplyWhenExportNameIsUnknown() {
        channel.writeInbound(Unpooled.buffer().writeInt(3));
        channel.writeInbound(option(NbdDescriptor.OPT_EXPORT_NAME,
            Unpooled.copiedBuffer("nope", StandardCharsets.UTF_8)));
        Object nothing = channel.readOutbound();
        assertThat(nothing).isNull();
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shouldAnswerSizeAndFlagsWithoutZeroesWhenExportNameIsKnown() {
        channel.writeInbound(Unpooled.buffer().writeInt(3));
        channel.writeInbound(option(NbdDescriptor.OPT_EXPORT_NAME,
            Unpooled.copiedBuffer("disk", StandardCharsets.UTF_8)));
        ByteBuf answer = channel.readOutbound();
        assertThat(answer.readableBytes()).isEqualTo(10);
        assertThat(answer.readLong()).isEqualTo(1 << 20);
        answer.release();
        assertThat(channel.pipeline().get(NbdTransmissionHandler.class)).isNotNull();
    }
}
