package io.tessera.queryservice;

import io.grpc.stub.StreamObserver;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.MultiplexExecuteRequests;
import io.tessera.proto.query.MultiplexExecuteResponses;
import io.tessera.proto.vtrpc.Code;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens multiplexed streams to a tablet's framed port ({@link FramedMultiplexServer}), one TCP connection each, on
 * one event loop: everything here runs on it. Requests written before the connection is up wait for it. The stream
 * ends as a gRPC stream would: cleanly when the tablet sends {@code end}, with the tablet's error when it sends one,
 * with UNAVAILABLE when the connection closes before either; a connection that cannot be made at all ends it with
 * {@link Unreachable}, so that the caller knows nothing was sent and can send it another way.
 */
final class FramedMultiplexClient implements MultiplexTransport {
    private static final Logger log = LoggerFactory.getLogger(FramedMultiplexClient.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final MultiplexExecuteRequests END = MultiplexExecuteRequests.newBuilder().setEnd(true).build();

    private final SocketAddress address;
    private final Bootstrap bootstrap;

    FramedMultiplexClient(MultiplexEndpoint endpoint, EventLoop loop) {
        this.address = endpoint.address();
        this.bootstrap = new Bootstrap().group(loop).channel(endpoint.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
    }

    @Override
    public StreamObserver<MultiplexExecuteRequests> open(StreamObserver<MultiplexExecuteResponses> answers) {
        Connection connection = new Connection(answers);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(MultiplexFraming.frameDecoder(), connection);
            }
        });
        b.connect(address).addListener((ChannelFuture f) -> connection.connected(f));
        return connection;
    }

    /** The stream could not connect to the tablet's framed port: none of its requests left. */
    static final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(SocketAddress address, Throwable cause) {
            super("cannot connect to the tablet's multiplex port at " + address + ": " + cause, cause, false, false);
        }
    }

    /** One stream: requests out as frames, frames in as answers. */
    private final class Connection extends ChannelInboundHandlerAdapter
            implements StreamObserver<MultiplexExecuteRequests> {
        private final StreamObserver<MultiplexExecuteResponses> answers;
        /** Messages written before the connection was up, sent once it is. */
        private List<MultiplexExecuteRequests> queued = new ArrayList<>();
        private Channel channel;
        /** Whether the answers have ended (cleanly or not); nothing more is delivered then. */
        private boolean ended;
        /** Whether the caller gave up on the stream; the connection closes and nothing more is delivered. */
        private boolean abandoned;

        Connection(StreamObserver<MultiplexExecuteResponses> answers) {
            this.answers = answers;
        }

        void connected(ChannelFuture f) {
            if (!f.isSuccess()) {
                log.debug("cannot connect to {}: {}", address, f.cause().toString());
                queued = null;
                end();
                answers.onError(new Unreachable(address, f.cause()));
                return;
            }
            channel = f.channel();
            if (abandoned) {
                channel.close();
                return;
            }
            channel.write(Unpooled.wrappedBuffer(MultiplexFraming.PREAMBLE), channel.voidPromise());
            for (MultiplexExecuteRequests m : queued) {
                write(m);
            }
            queued = null;
            channel.flush();
        }

        @Override
        public void onNext(MultiplexExecuteRequests requests) {
            if (channel == null) {
                if (queued != null) {
                    queued.add(requests);
                }
                return;
            }
            write(requests);
            channel.flush();
        }

        private void write(MultiplexExecuteRequests requests) {
            channel.write(MultiplexFraming.encode(channel.alloc(), requests), channel.voidPromise());
        }

        @Override
        public void onCompleted() {
            onNext(END);
        }

        @Override
        public void onError(Throwable t) {
            abandoned = true;
            end();
            if (channel != null) {
                channel.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            MultiplexExecuteResponses message;
            ByteBuf frame = (ByteBuf) msg;
            try {
                message = MultiplexFraming.parse(MultiplexExecuteResponses.parser(), frame);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                fail(TesseraException.of(ErrorKind.INTERNAL, "the tablet at " + address
                        + " sent a frame that is not a MultiplexExecuteResponses message: " + e.getMessage()));
                return;
            } finally {
                frame.release();
            }
            if (ended) {
                return;
            }
            if (message.getResponsesCount() > 0) {
                answers.onNext(message);
            }
            if (message.hasError()) {
                fail(TesseraException.fromRpcError(message.getError(), null));
            } else if (message.getEnd()) {
                end();
                ctx.close();
                answers.onCompleted();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(TesseraException.uncatalogued(Code.UNAVAILABLE, ErrorKind.UNCATALOGUED.mysqlErrno(),
                    ErrorKind.UNCATALOGUED.sqlState(), "", "the connection to the tablet's multiplex port at "
                            + address + " closed", null));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("multiplex connection to {} failed: {}", address, cause.toString());
            fail(TesseraException.uncatalogued(Code.UNAVAILABLE, ErrorKind.UNCATALOGUED.mysqlErrno(),
                    ErrorKind.UNCATALOGUED.sqlState(), "", "the connection to the tablet's multiplex port at "
                            + address + " failed: " + cause, cause));
        }

        /** Ends the answers with {@code error}, once, and closes the connection. */
        private void fail(TesseraException error) {
            boolean deliver = !ended;
            end();
            if (channel != null) {
                channel.close();
            }
            if (deliver) {
                answers.onError(error);
            }
        }

        private void end() {
            ended = true;
        }
    }
}
