package io.tessera.gate.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the client's byte stream into {@link Inbound.Packet}s: reads each 4-byte header (3-byte length, sequence
 * id), joins the chunks of payloads of 16 MiB - 1 bytes and more, and checks that the chunks of one payload carry
 * consecutive sequence ids. The length limit is checked on each header, before the chunk is buffered, so an
 * oversized packet costs no memory. After a framing error it emits one {@link Inbound.TooLarge} or
 * {@link Inbound.Malformed} and discards everything that follows.
 */
final class PacketFramer extends ByteToMessageDecoder {
    private volatile int maxPacketBytes;
    private byte[] partial;
    private int partialLength;
    private int firstSequence;
    private int lastSequence;
    private boolean inMultiPacket;
    private boolean failed;

    PacketFramer(int maxPacketBytes) {
        this.maxPacketBytes = maxPacketBytes;
    }

    /** Changes the limit, for example from the small pre-authentication limit to the configured one. */
    void maxPacketBytes(int limit) {
        this.maxPacketBytes = limit;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int length = in.getUnsignedMediumLE(start);
            int sequence = in.getUnsignedByte(start + 3);
            int limit = maxPacketBytes;
            long total = (long) partialLength + length;
            if (total > limit) {
                fail(in, out, new Inbound.TooLarge(total, limit));
                return;
            }
            if (inMultiPacket && sequence != ((lastSequence + 1) & 0xff)) {
                fail(in, out, new Inbound.Malformed("continuation packet has sequence id " + sequence
                        + ", expected " + ((lastSequence + 1) & 0xff)));
                return;
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            if (!inMultiPacket) {
                firstSequence = sequence;
            }
            lastSequence = sequence;
            if (length == Protocol.MAX_CHUNK) {
                append(in, length);
                inMultiPacket = true;
                continue;
            }
            byte[] payload;
            if (inMultiPacket) {
                append(in, length);
                payload = partialLength == partial.length ? partial : Arrays.copyOf(partial, partialLength);
                partial = null;
                partialLength = 0;
                inMultiPacket = false;
            } else {
                payload = new byte[length];
                in.readBytes(payload);
            }
            out.add(new Inbound.Packet(firstSequence, (lastSequence + 1) & 0xff, payload));
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (!failed && (in.isReadable() || inMultiPacket)) {
            fail(in, out, new Inbound.Malformed("the connection ended in the middle of a packet"));
        }
    }

    private void append(ByteBuf in, int length) {
        if (partial == null) {
            partial = new byte[Math.max(length, Protocol.MAX_CHUNK)];
        } else if (partial.length < partialLength + length) {
            partial = Arrays.copyOf(partial, Math.min(maxPacketBytes, Math.max(partialLength + length,
                    partial.length * 2)));
        }
        in.readBytes(partial, partialLength, length);
        partialLength += length;
    }

    private void fail(ByteBuf in, List<Object> out, Inbound event) {
        failed = true;
        partial = null;
        partialLength = 0;
        in.skipBytes(in.readableBytes());
        out.add(event);
    }
}
