package io.tessera.tablet.mysqlclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing in both directions: headers, sequence ids, payloads of 16 MiB and more. */
class PacketCodecTest {
    private static final int MAX = PacketDecoder.MAX_PAYLOAD;

    private final PacketSequence sequence = new PacketSequence();
    private final PacketDecoder decoder = new PacketDecoder(sequence);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder, new PacketEncoder(sequence));

    @Test
    void packetsArriveWhateverTheChunksTheBytesComeIn() {
        ByteBuf wire = Unpooled.buffer();
        packet(wire, 0, "one");
        packet(wire, 1, "");
        packet(wire, 2, "three");
        // Byte by byte: nothing comes out before a packet is complete.
        while (wire.isReadable()) {
            channel.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        assertThat(payloads()).containsExactly("one", "", "three");
        assertThat(decoder.bytesReceived()).isEqualTo(3 * 4 + 3 + 5);
    }

    @Test
    void aPayloadOfSixteenMebibytesOrMoreIsJoined() {
        ByteBuf wire = Unpooled.buffer();
        packet(wire, 0, "a".repeat(MAX));
        packet(wire, 1, "b".repeat(MAX));
        packet(wire, 2, "c");
        packet(wire, 3, "x".repeat(MAX));
        packet(wire, 4, "");
        channel.writeInbound(wire);
        List<String> payloads = payloads();
        assertThat(payloads).hasSize(2);
        assertThat(payloads.get(0)).hasSize(2 * MAX + 1).startsWith("aaa").endsWith("bbc");
        assertThat(payloads.get(1)).hasSize(MAX);
    }

    @Test
    void aWrongSequenceIdIsAProtocolError() {
        ByteBuf wire = Unpooled.buffer();
        packet(wire, 0, "ok");
        packet(wire, 2, "skipped one");
        assertThatThrownBy(() -> channel.writeInbound(wire)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("packet sequence id 2 from mysqld, expected 1");
        assertThat(payloads()).containsExactly("ok");
    }

    @Test
    void sequenceIdsWrapAndRestartWithEachCommand() {
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < 300; i++) {
            packet(wire, i & 0xff, "p" + i);
        }
        channel.writeInbound(wire);
        assertThat(payloads()).hasSize(300).endsWith("p299");
        sequence.reset();
        ByteBuf next = Unpooled.buffer();
        packet(next, 0, "new command");
        channel.writeInbound(next);
        assertThat(payloads()).containsExactly("new command");
    }

    @Test
    void largePayloadsGoOutInSeveralPacketsEndingWithAShortOne() {
        sequence.reset();
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[MAX]));
        ByteBuf out = outbound();
        assertThat(out.readUnsignedMediumLE()).isEqualTo(MAX);
        assertThat(out.readUnsignedByte()).isEqualTo((short) 0);
        out.skipBytes(MAX);
        assertThat(out.readUnsignedMediumLE()).isZero();
        assertThat(out.readUnsignedByte()).isEqualTo((short) 1);
        assertThat(out.isReadable()).isFalse();
        out.release();

        sequence.reset();
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[MAX + 10]));
        out = outbound();
        assertThat(out.readUnsignedMediumLE()).isEqualTo(MAX);
        assertThat(out.readUnsignedByte()).isEqualTo((short) 0);
        out.skipBytes(MAX);
        assertThat(out.readUnsignedMediumLE()).isEqualTo(10);
        assertThat(out.readUnsignedByte()).isEqualTo((short) 1);
        assertThat(out.readableBytes()).isEqualTo(10);
        out.release();
    }

    @Test
    void aSmallPayloadGoesOutAsOneBufferWithItsHeaderAndALargerOneAsHeaderAndSlice() {
        sequence.reset();
        ByteBuf small = Unpooled.copiedBuffer("\u0017statement", StandardCharsets.UTF_8);
        channel.writeOutbound(small);
        ByteBuf one = channel.readOutbound();
        assertThat(channel.<ByteBuf>readOutbound()).isNull();
        assertThat(one.readUnsignedMediumLE()).isEqualTo(10);
        assertThat(one.readUnsignedByte()).isEqualTo((short) 0);
        assertThat(one.toString(StandardCharsets.UTF_8)).isEqualTo("\u0017statement");
        one.release();
        assertThat(small.refCnt()).isZero();

        for (int size : new int[] {PacketEncoder.COPY_BELOW - 1, PacketEncoder.COPY_BELOW}) {
            sequence.reset();
            byte[] bytes = new byte[size];
            bytes[0] = 7;
            bytes[size - 1] = 9;
            channel.writeOutbound(Unpooled.wrappedBuffer(bytes));
            ByteBuf out = outbound();
            assertThat(out.readUnsignedMediumLE()).isEqualTo(size);
            assertThat(out.readUnsignedByte()).isEqualTo((short) 0);
            assertThat(out.readableBytes()).isEqualTo(size);
            assertThat(out.getByte(out.readerIndex())).isEqualTo((byte) 7);
            assertThat(out.getByte(out.readerIndex() + size - 1)).isEqualTo((byte) 9);
            out.release();
        }
    }

    private ByteBuf outbound() {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    private List<String> payloads() {
        List<String> out = new ArrayList<>();
        for (ByteBuf b = channel.readInbound(); b != null; b = channel.readInbound()) {
            out.add(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out;
    }

    private static void packet(ByteBuf wire, int sequenceId, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        wire.writeMediumLE(bytes.length);
        wire.writeByte(sequenceId);
        wire.writeBytes(bytes);
    }
}
