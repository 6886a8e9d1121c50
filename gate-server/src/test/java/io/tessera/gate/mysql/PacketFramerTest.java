package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketFramerTest {
    private static ByteBuf packet(int length, int sequence, byte[] body) {
        ByteBuf b = Unpooled.buffer();
        b.writeMediumLE(length);
        b.writeByte(sequence);
        b.writeBytes(body);
        return b;
    }

    @Test
    void packetsSplitAcrossReadsAreJoined() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(1024));
        ByteBuf two = Unpooled.wrappedBuffer(packet(3, 0, new byte[] {1, 2, 3}), packet(1, 1, new byte[] {9}));
        ch.writeInbound(two.readRetainedSlice(5));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(two.readRetainedSlice(two.readableBytes()));
        two.release();
        Inbound.Packet first = ch.readInbound();
        assertThat(first.sequenceId()).isZero();
        assertThat(first.nextSequenceId()).isEqualTo(1);
        assertThat(first.payload()).containsExactly(1, 2, 3);
        Inbound.Packet second = ch.readInbound();
        assertThat(second.sequenceId()).isEqualTo(1);
        assertThat(second.payload()).containsExactly(9);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void payloadsOfAFullChunkAndMoreAreJoined() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(40 << 20));
        byte[] chunk = new byte[Protocol.MAX_CHUNK];
        chunk[0] = 7;
        ch.writeInbound(packet(Protocol.MAX_CHUNK, 4, chunk));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(packet(2, 5, new byte[] {8, 9}));
        Inbound.Packet p = ch.readInbound();
        assertThat(p.sequenceId()).isEqualTo(4);
        assertThat(p.nextSequenceId()).isEqualTo(6);
        assertThat(p.payload()).hasSize(Protocol.MAX_CHUNK + 2);
        assertThat(p.payload()[0]).isEqualTo((byte) 7);
        assertThat(Arrays.copyOfRange(p.payload(), Protocol.MAX_CHUNK, Protocol.MAX_CHUNK + 2)).containsExactly(8, 9);
        // Exactly one full chunk ends with an empty packet; sequence ids wrap at 255.
        ch.writeInbound(packet(Protocol.MAX_CHUNK, 255, chunk));
        ch.writeInbound(packet(0, 0, new byte[0]));
        Inbound.Packet exact = ch.readInbound();
        assertThat(exact.payload()).hasSize(Protocol.MAX_CHUNK);
        assertThat(exact.nextSequenceId()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aContinuationWithTheWrongSequenceIdIsMalformed() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(40 << 20));
        ch.writeInbound(packet(Protocol.MAX_CHUNK, 0, new byte[Protocol.MAX_CHUNK]));
        ch.writeInbound(packet(1, 5, new byte[] {1}));
        assertThat((Object) ch.readInbound()).isInstanceOf(Inbound.Malformed.class);
        ch.writeInbound(packet(1, 0, new byte[] {1}));
        assertThat((Object) ch.readInbound()).as("nothing is read after a framing error").isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void anOversizedHeaderIsRefusedBeforeThePayloadArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(1000));
        ch.writeInbound(packet(1001, 0, new byte[0]));
        Inbound.TooLarge t = ch.readInbound();
        assertThat(t.length()).isEqualTo(1001);
        assertThat(t.limit()).isEqualTo(1000);
        ch.finishAndReleaseAll();
    }

    @Test
    void theTotalOfAMultiPacketPayloadCountsAgainstTheLimit() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(20 << 20));
        ch.writeInbound(packet(Protocol.MAX_CHUNK, 0, new byte[Protocol.MAX_CHUNK]));
        ch.writeInbound(packet(5 << 20, 1, new byte[0]));
        Inbound.TooLarge t = ch.readInbound();
        assertThat(t.length()).isEqualTo(Protocol.MAX_CHUNK + (5L << 20));
        ch.finishAndReleaseAll();
    }

    @Test
    void theLimitCanBeRaisedAfterAuthentication() {
        PacketFramer framer = new PacketFramer(10);
        EmbeddedChannel ch = new EmbeddedChannel(framer);
        framer.maxPacketBytes(100);
        ch.writeInbound(packet(50, 0, new byte[50]));
        assertThat((Object) ch.readInbound()).isInstanceOf(Inbound.Packet.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionEndingInsideAPacketIsMalformed() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(1000));
        ch.writeInbound(packet(10, 0, new byte[] {1, 2}));
        ch.finish();
        assertThat((Object) ch.readInbound()).isInstanceOf(Inbound.Malformed.class);
        ch.finishAndReleaseAll();
    }
}
