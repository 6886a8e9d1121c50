package io.tessera.queryservice;

import io.grpc.stub.StreamObserver;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.MultiplexExecuteRequests;
import io.tessera.proto.query.MultiplexExecuteResponses;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tablet's framed multiplex port: the same streams of Executes as gRPC's {@code MultiplexExecuteBatches}, each on a
 * TCP connection of its own in the plain framing of {@link MultiplexFraming}, without gRPC's HTTP/2 framing, flow
 * control windows and write queue between the gate's event loop and the tablet's (about a tenth of each daemon's
 * CPU per statement on that stream, docs/PERFORMANCE.md). Everything else the tablet serves stays on gRPC.
 *
 * <p>A connection is one stream: its requests are handled by a {@link MultiplexedExecuteCall} exactly as a gRPC
 * stream's are (the same checks, inline path and cancellation), on the event loop that reads the connection. The
 * client's {@code end} is the stream's half-close; the tablet answers everything it started, sends a frame with
 * {@code end} and closes. A connection that closes first cancels what is still running on it, as a cancelled gRPC
 * call does. A connection that does not open with the preamble, or sends a frame that is not a message or is over
 * {@link MultiplexFraming#MAX_FRAME_BYTES}, is closed (with an {@code error} frame once past the preamble); no input
 * affects other connections.
 *
 * <p>The port is bound by {@link #bind} before the tablet registers (the record carries the bound port, so 0 may be
 * asked for) and serves once {@link #serve} has its service; a connection that comes before is closed.
 */
public final class FramedMultiplexServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FramedMultiplexServer.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final MultiplexExecuteResponses END = MultiplexExecuteResponses.newBuilder().setEnd(true).build();

    private final Channel listener;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private volatile QueryServiceGrpcAdapter adapter;

    private FramedMultiplexServer(ServerBootstrap bootstrap, InetSocketAddress address) {
        bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                connections.add(ch);
                ch.closeFuture().addListener(f -> connections.remove(ch));
                ch.pipeline().addLast(new PreambleCheck(), MultiplexFraming.frameDecoder(), new Connection());
            }
        });
        this.listener = bootstrap.bind(address).syncUninterruptibly().channel();
    }

    /**
     * Listens on {@code address} (port 0: any free port), accepting on {@code boss} and serving each connection on one
     * of {@code workers}, which should be the loops of the tablet's native connections to mysqld so that a plain
     * statement is read, run and answered on one thread. Throws if the port cannot be bound.
     */
    public static FramedMultiplexServer bind(InetSocketAddress address, EventLoopGroup boss, EventLoopGroup workers,
            Class<? extends ServerSocketChannel> channelType) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers).channel(channelType)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true);
        return new FramedMultiplexServer(bootstrap, address);
    }

    /** The port listened on. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** How many connections are open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Starts serving streams with {@code adapter}'s query service (connections made earlier have been closed). */
    public void serve(QueryServiceGrpcAdapter service) {
        this.adapter = service;
    }

    /**
     * Stops listening, ends every stream once what it started is answered (the gate sends what it had not sent
     * yet elsewhere), and closes what is still open after a grace period.
     */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        QueryServiceGrpcAdapter service = adapter;
        if (service != null) {
            service.finishStreams();
        }
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Channel c : List.copyOf(connections)) {
            c.close().syncUninterruptibly();
        }
    }

    /** Closes a connection that does not start with {@link MultiplexFraming#PREAMBLE}, then steps aside. */
    private static final class PreambleCheck extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            byte[] preamble = MultiplexFraming.PREAMBLE;
            int seen = Math.min(in.readableBytes(), preamble.length);
            for (int i = 0; i < seen; i++) {
                if (in.getByte(in.readerIndex() + i) != preamble[i]) {
                    log.debug("closing {}: not a Tessera multiplex client", ctx.channel().remoteAddress());
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                    return;
                }
            }
            if (seen == preamble.length) {
                in.skipBytes(preamble.length);
                // What follows the preamble goes on to the frame decoder.
                ctx.pipeline().remove(this);
            }
        }
    }

    /** One connection's stream: frames in to its call, answers out as frames. */
    private final class Connection extends ChannelInboundHandlerAdapter
            implements StreamObserver<MultiplexExecuteResponses> {
        private Channel channel;
        private MultiplexedExecuteCall call;
        /** Whether this side ended the stream (cleanly or with an error); written by the call's thread. */
        private volatile boolean ended;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            MultiplexExecuteRequests requests;
            ByteBuf frame = (ByteBuf) msg;
            try {
                requests = MultiplexFraming.parse(MultiplexExecuteRequests.parser(), frame);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                fail(TesseraException.of(ErrorKind.BAD_REQUEST, "a frame that is not a MultiplexExecuteRequests "
                        + "message (" + e.getMessage() + ")"));
                return;
            } finally {
                frame.release();
            }
            if (ended) {
                return;
            }
            if (call == null) {
                QueryServiceGrpcAdapter service = adapter;
                if (service == null) {
                    ctx.close(); // not serving yet: the client tries again on a new connection
                    return;
                }
                // On this connection's loop, so the call's answers are written from it.
                call = service.openMultiplexStream(this);
            }
            if (requests.getRequestsCount() > 0) {
                call.onNext(requests);
            }
            if (requests.getEnd()) {
                call.onCompleted();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (call != null && !ended) {
                call.cancelled();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                fail(TesseraException.of(ErrorKind.BAD_REQUEST, "a frame over the limit of "
                        + MultiplexFraming.MAX_FRAME_BYTES + " bytes"));
                return;
            }
            log.debug("multiplex connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }

        @Override
        public void onNext(MultiplexExecuteResponses answers) {
            channel.writeAndFlush(MultiplexFraming.encode(channel.alloc(), answers), channel.voidPromise());
        }

        @Override
        public void onCompleted() {
            ended = true;
            channel.writeAndFlush(MultiplexFraming.encode(channel.alloc(), END))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void onError(Throwable t) {
            fail(GrpcErrors.asTesseraException(t));
        }

        /** Ends the stream with {@code error}: the client fails what waits on it; what runs here is cancelled. */
        private void fail(TesseraException error) {
            if (ended) {
                return;
            }
            ended = true;
            log.debug("ending multiplex connection from {}: {}", channel.remoteAddress(), error.getMessage());
            MultiplexExecuteResponses failed = MultiplexExecuteResponses.newBuilder().setError(error.toRpcError())
                    .build();
            channel.writeAndFlush(MultiplexFraming.encode(channel.alloc(), failed))
                    .addListener(ChannelFutureListener.CLOSE);
            if (call != null) {
                call.cancelled();
            }
        }
    }
}
