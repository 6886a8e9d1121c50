package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Frames outgoing payloads as packets with the next sequence ids. A payload of 0xFFFFFF bytes or more goes out in
 * several packets, the last one shorter than 0xFFFFFF (empty if need be), as the protocol requires. A small payload
 * (a statement, most of the time) is copied behind its header into one buffer, which goes out as one write; a
 * larger one is not copied: each packet is then a header followed by a slice of it.
 */
@ChannelHandler.Sharable
final class PacketEncoder extends MessageToMessageEncoder<ByteBuf> {
    /** Payloads smaller than this are copied into the buffer of their header rather than sliced. */
    static final int COPY_BELOW = 4096;

    private final PacketSequence sequence;

    PacketEncoder(PacketSequence sequence) {
        super(ByteBuf.class);
        this.sequence = sequence;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf payload, List<Object> out) {
        if (payload.readableBytes() < COPY_BELOW) {
            // One buffer and one write: no header buffer, slice or promise combiner of two outbound messages.
            int length = payload.readableBytes();
            ByteBuf packet = ctx.alloc().buffer(4 + length);
            packet.writeMediumLE(length);
            packet.writeByte(sequence.nextOutbound());
            packet.writeBytes(payload, payload.readerIndex(), length);
            out.add(packet);
            return;
        }
        int offset = payload.readerIndex();
        int remaining = payload.readableBytes();
        while (true) {
            int chunk = Math.min(PacketDecoder.MAX_PAYLOAD, remaining);
            ByteBuf header = ctx.alloc().buffer(4);
            header.writeMediumLE(chunk);
            header.writeByte(sequence.nextOutbound());
            out.add(header);
            if (chunk > 0) {
                out.add(payload.retainedSlice(offset, chunk));
            }
            offset += chunk;
            remaining -= chunk;
            if (chunk < PacketDecoder.MAX_PAYLOAD) {
                return;
            }
        }
    }
}
