package io.tessera.gate.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import java.util.List;

/**
 * Sits in front of the {@link PacketFramer} until the client's first packet, when TLS is configured. If that packet
 * is an SSL request, it passes the request on in clear and puts an SslHandler in its own place, so the bytes that
 * follow (the TLS handshake, which the client sends without waiting for an answer) are decrypted before they are
 * framed. Any other first packet is passed on unchanged and the detector just leaves the pipeline.
 */
final class TlsRequestDetector extends ByteToMessageDecoder {
    private final SslContext sslContext;

    TlsRequestDetector(SslContext sslContext) {
        this.sslContext = sslContext;
    }

    /** Whether {@code payload}, the first packet of a client, asks to switch to TLS. */
    static boolean isSslRequest(byte[] payload) {
        return payload.length == Protocol.SSL_REQUEST_LENGTH && (capabilities(payload) & Protocol.CLIENT_SSL) != 0;
    }

    private static int capabilities(byte[] payload) {
        return (payload[0] & 0xff) | (payload[1] & 0xff) << 8 | (payload[2] & 0xff) << 16 | (payload[3] & 0xff) << 24;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int start = in.readerIndex();
        int length = in.getUnsignedMediumLE(start);
        if (length != Protocol.SSL_REQUEST_LENGTH) {
            ctx.pipeline().remove(this);
            return;
        }
        if (in.readableBytes() < 8) {
            return;
        }
        if ((in.getIntLE(start + 4) & Protocol.CLIENT_SSL) == 0) {
            ctx.pipeline().remove(this);
            return;
        }
        if (in.readableBytes() < 4 + Protocol.SSL_REQUEST_LENGTH) {
            return;
        }
        // Fire the request before the replacement: once replaced, this context forwards to the SslHandler, which
        // must see only what comes after the request (it receives that when this decoder leaves the pipeline).
        ctx.fireChannelRead(in.readRetainedSlice(4 + Protocol.SSL_REQUEST_LENGTH));
        ctx.pipeline().replace(this, "tls", sslContext.newHandler(ctx.alloc()));
    }
}
