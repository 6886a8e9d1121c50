package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the bytes from mysqld into packet payloads: a 4-byte header (3-byte little-endian length, sequence id) then
 * the payload. A payload of exactly 0xFFFFFF bytes continues in the next packet; the parts are joined (without
 * copying) so the next handler sees one payload per logical packet. Sequence ids are checked as packets arrive.
 *
 * <p>Also counts the bytes received, so a failed command can tell whether any of its response had arrived.
 */
final class PacketDecoder extends ByteToMessageDecoder {
    /** The largest payload of one packet; a payload this long continues in the next packet. */
    static final int MAX_PAYLOAD = 0xFFFFFF;
    private static final int HEADER = 4;

    private final PacketSequence sequence;
    private CompositeByteBuf partial;
    private long bytesReceived;

    PacketDecoder(PacketSequence sequence) {
        this.sequence = sequence;
    }

    /** Bytes read from the socket so far. */
    long bytesReceived() {
        return bytesReceived;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            bytesReceived += buf.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= HEADER) {
            int start = in.readerIndex();
            int length = in.getUnsignedMediumLE(start);
            if (in.readableBytes() < HEADER + length) {
                return;
            }
            sequence.checkInbound(in.getUnsignedByte(start + 3));
            in.skipBytes(HEADER);
            ByteBuf part = in.readRetainedSlice(length);
            if (length == MAX_PAYLOAD) {
                if (partial == null) {
                    partial = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                }
                partial.addComponent(true, part);
                continue;
            }
            if (partial != null) {
                partial.addComponent(true, part);
                out.add(partial);
                partial = null;
            } else {
                out.add(part);
            }
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
