package io.tessera.gate.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * A connection's packets as its session thread sees them: reads check sequence ids, writes number and split
 * packets and batch them into buffers that go to the event loop when they fill up or on {@link #flush()}. Used by
 * one thread at a time: the session thread, or the event loop while it runs a command for it
 * ({@link AsyncCommands}; the session thread then waits in {@link ConnectionBridge#next}).
 */
final class PacketChannel {
    /** Outgoing bytes are handed to the event loop in buffers of about this size. */
    private static final int BATCH_BYTES = 16 * 1024;

    private final Channel channel;
    private final ConnectionBridge bridge;
    private final PacketBuilder builder = new PacketBuilder();
    private int sequence;
    private ByteBuf pending;

    PacketChannel(Channel channel, ConnectionBridge bridge) {
        this.channel = channel;
        this.bridge = bridge;
    }

    /**
     * The next packet of the current exchange, which must carry the expected sequence id; null if none arrived
     * within {@code timeoutNanos} (0 or less waits forever).
     *
     * @throws MalformedPacketException on a framing or sequence error
     * @throws PacketTooLargeException if the client announced a packet over the limit
     * @throws ConnectionClosedException if the connection closed
     */
    byte[] read(long timeoutNanos) {
        return read(timeoutNanos, false);
    }

    private byte[] read(long timeoutNanos, boolean command) {
        Inbound event = bridge.next(timeoutNanos, command);
        if (event == null) {
            return null;
        }
        if (command) {
            // Commands the event loop ran while this thread waited numbered their own responses.
            sequence = 0;
        }
        return switch (event) {
            case Inbound.Packet p -> {
                if (p.sequenceId() != sequence) {
                    int expected = sequence;
                    sequence = p.nextSequenceId();
                    throw new MalformedPacketException("packet has sequence id " + p.sequenceId() + ", expected "
                            + expected);
                }
                sequence = p.nextSequenceId();
                yield p.payload();
            }
            case Inbound.TooLarge t -> throw new PacketTooLargeException(t.length(), t.limit());
            case Inbound.Malformed m -> throw new MalformedPacketException(m.reason());
            case Inbound.Closed c -> throw new ConnectionClosedException();
        };
    }

    /** Reads the first packet of a new command, whose sequence id is 0. */
    byte[] readCommand(long timeoutNanos) {
        sequence = 0;
        return read(timeoutNanos, true);
    }

    /**
     * Starts the response to a command the event loop took itself ({@link AsyncCommands}): the sequence ids
     * continue from that command's packet.
     */
    void respondTo(Inbound.Packet command) {
        sequence = command.nextSequenceId();
    }

    /** The response written since the last flush, handed over to be written by the caller; null if none. */
    ByteBuf takePending() {
        ByteBuf out = pending;
        pending = null;
        return out;
    }

    /** Starts an unsolicited exchange (a greeting, or an error the client did not ask for) at sequence id 0. */
    void resetSequence() {
        sequence = 0;
    }

    /** The builder for the next packet, emptied. */
    PacketBuilder packet() {
        return builder.reset();
    }

    /** Sends the payload in {@code p}, as several packets if it is 16 MiB - 1 bytes or longer. */
    void send(PacketBuilder p) {
        send(p.array(), p.length());
    }

    /** Sends the first {@code length} bytes of {@code bytes} as one payload, split as {@link #send(PacketBuilder)}. */
    void send(byte[] bytes, int length) {
        int offset = 0;
        while (true) {
            int chunk = Math.min(length - offset, Protocol.MAX_CHUNK);
            if (pending == null) {
                pending = channel.alloc().buffer(Math.max(BATCH_BYTES, 4 + chunk));
            }
            pending.writeMediumLE(chunk);
            pending.writeByte(sequence);
            sequence = (sequence + 1) & 0xff;
            pending.writeBytes(bytes, offset, chunk);
            offset += chunk;
            if (pending.readableBytes() >= BATCH_BYTES) {
                writePending();
            }
            // A payload whose length is a multiple of the chunk size ends with an empty packet.
            if (chunk < Protocol.MAX_CHUNK) {
                break;
            }
        }
    }

    /**
     * Hands everything sent so far to the event loop, flushes the socket and lets the connection read the client's
     * next packet, in one hand-over (see {@link ConnectionBridge#writeFlushAndRead}).
     */
    void flush() {
        ByteBuf last = pending;
        pending = null;
        if (!bridge.writeFlushAndRead(last) || !channel.isActive()) {
            throw new ConnectionClosedException();
        }
        if (!channel.isWritable()) {
            bridge.awaitWritable();
        }
    }

    /**
     * Flushes, then ends the connection once the bytes are written. The client may still be sending (the rest of
     * an oversized packet, say): closing at once with unread bytes makes the kernel reset the connection, and a
     * reset can destroy the ERR packet before the client reads it. So the gate half-closes, reads and discards
     * whatever still arrives, and closes when the client does or after {@link #LINGER_MILLIS}.
     */
    void flushAndClose() {
        ByteBuf last = pending == null ? Unpooled.EMPTY_BUFFER : pending;
        pending = null;
        channel.writeAndFlush(last).addListener(written -> {
            if (!(channel instanceof DuplexChannel duplex) || !written.isSuccess() || !channel.isActive()) {
                channel.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess()) {
                    channel.close();
                    return;
                }
                channel.pipeline().addFirst(new DiscardInbound());
                channel.config().setAutoRead(true);
                channel.eventLoop().schedule(() -> {
                    channel.close();
                }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
            });
        });
    }

    /** How long a connection the gate ended keeps draining what the client still sends. */
    static final long LINGER_MILLIS = 2000;

    /** Drops every inbound byte of a connection the gate is ending; closes when the client closes its side. */
    private static final class DiscardInbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // The rest of the pipeline learns of the close as usual.
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Closes the connection without waiting. */
    void close() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        channel.close();
    }

    boolean isOpen() {
        return channel.isActive();
    }

    private void writePending() {
        if (pending == null) {
            return;
        }
        ByteBuf out = pending;
        pending = null;
        channel.write(out);
        if (!channel.isWritable()) {
            channel.flush();
            // The event loop never waits (it is what would make the channel writable again); what it writes stays
            // in the outbound buffer meanwhile. It only writes results already held in memory whole.
            if (!channel.eventLoop().inEventLoop()) {
                bridge.awaitWritable();
            }
        }
        if (!channel.isActive()) {
            throw new ConnectionClosedException();
        }
    }
}
