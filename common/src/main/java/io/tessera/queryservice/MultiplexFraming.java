package io.tessera.queryservice;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire format of a tablet's framed multiplex port (see {@link FramedMultiplexServer}): the client opens a TCP
 * connection with {@link #PREAMBLE}; then each side sends frames, a 4-byte big-endian length followed by that many
 * bytes of one protobuf message: {@code MultiplexExecuteRequests} from the client, {@code MultiplexExecuteResponses}
 * from the tablet. These are the messages of a gRPC {@code MultiplexExecuteBatches} stream, with the stream's
 * half-close, clean end and error carried by their {@code end} and {@code error} fields instead of by HTTP/2.
 */
final class MultiplexFraming {
    /**
     * What a client sends first: tells a Tessera client from anything else that connects (a stray HTTP or MySQL
     * client is closed on at once), and names the version of this format.
     */
    static final byte[] PREAMBLE = "TSMUX/1\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * The largest frame either side accepts, as the gate's gRPC channels accept from tablets: a result is capped by
     * rows, not bytes, and a statement may be as large as MySQL's packets allow.
     */
    static final int MAX_FRAME_BYTES = GrpcQueryServiceClient.MAX_INBOUND_MESSAGE_BYTES;

    private static final int LENGTH_BYTES = 4;

    private MultiplexFraming() {}

    /** A handler that cuts the byte stream into frames, each handed on without its length. */
    static LengthFieldBasedFrameDecoder frameDecoder() {
        return new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, LENGTH_BYTES, 0, LENGTH_BYTES);
    }

    /** {@code message} as one frame, in one buffer from {@code alloc}. */
    static ByteBuf encode(ByteBufAllocator alloc, MessageLite message) {
        int size = message.getSerializedSize();
        ByteBuf frame = alloc.ioBuffer(LENGTH_BYTES + size);
        try {
            frame.writeInt(size);
            CodedOutputStream out = CodedOutputStream.newInstance(frame.nioBuffer(LENGTH_BYTES, size));
            message.writeTo(out);
            out.checkNoSpaceLeft();
            frame.writerIndex(LENGTH_BYTES + size);
            return frame;
        } catch (IOException e) {
            frame.release();
            throw new UncheckedIOException("cannot encode a frame", e);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    /** The message in {@code frame} (which the caller releases). */
    static <T> T parse(Parser<T> parser, ByteBuf frame) throws InvalidProtocolBufferException {
        return parser.parseFrom(frame.nioBuffer());
    }
}
