package io.tessera.gate.mysql;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.ErrorKind;
import io.tessera.gate.auth.AuthServer;
import io.tessera.common.net.EventLoops;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's MySQL protocol listener. Netty event loops only frame and move bytes; each connection runs its
 * handshake and commands on its own virtual thread, one command at a time, and calls the
 * {@link ConnectionHandler} its {@link ConnectionHandlerFactory} opened for it. Authentication is delegated to an
 * {@link AuthServer}.
 *
 * <p>Metrics, registered in the given registry until {@link #close()}: {@code tessera_gate_connections},
 * {@code tessera_gate_connections_accepted_total}, {@code tessera_gate_connections_refused_total{reason}}
 * (max_connections, handshake_timeout, auth, malformed, session) and
 * {@code tessera_gate_auth_successes_total{method}}. The auth server counts its own failures.
 */
public final class MysqlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MysqlServer.class);
    /** Handshake responses are small; an unauthenticated client may not make the server buffer more. */
    private static final int PRE_AUTH_MAX_PACKET_BYTES = 64 * 1024;
    /** How long {@link #close()} waits for a session that is busy in its handler. */
    private static final Duration SESSION_END_WAIT = Duration.ofSeconds(10);

    private final MysqlServerConfig config;
    private final AuthServer auth;
    private final ConnectionHandlerFactory handlers;
    private final PrometheusRegistry registry;
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final AtomicLong nextConnectionId = new AtomicLong(1);
    private ServerContext context;
    private EventLoopGroup acceptor;
    /** The loops of the connections when the caller shares its own; null otherwise. */
    private final EventLoops sharedLoops;
    /** The loops this server started for its connections, when none were shared. */
    private EventLoops ownLoops;
    private Channel serverChannel;
    private boolean started;
    private boolean closed;

    /**
     * A server that is not listening yet.
     *
     * @param config listener settings
     * @param auth who may log in
     * @param handlers opens the session of each authenticated connection
     * @param registry where the server's metrics go
     */
    public MysqlServer(MysqlServerConfig config, AuthServer auth, ConnectionHandlerFactory handlers,
            PrometheusRegistry registry) {
        this(config, auth, handlers, registry, null);
    }

    /**
     * A server that is not listening yet, whose connections run on {@code loops} (which the caller starts before
     * and closes after this server), or on loops of its own when {@code loops} is null.
     */
    public MysqlServer(MysqlServerConfig config, AuthServer auth, ConnectionHandlerFactory handlers,
            PrometheusRegistry registry, EventLoops loops) {
        this.config = Objects.requireNonNull(config, "config");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sharedLoops = loops;
    }

    /**
     * Binds the port and starts accepting connections.
     *
     * @throws UncheckedIOException if the address cannot be bound (for example the port is taken)
     * @throws IllegalArgumentException if the TLS certificate or key cannot be loaded
     * @throws IllegalStateException if the server was started before
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("the MySQL server was already started");
        }
        started = true;
        SslContext ssl = config.tlsEnabled() ? sslContext() : null;
        ServerMetrics metrics = new ServerMetrics(registry, connections::size);
        context = new ServerContext(config, auth, handlers, metrics, new ServerStatistics(connections::size),
                connections);
        // Native epoll where it loads (see EventLoops); the acceptor uses the same kind as the connections.
        if (sharedLoops == null) {
            ownLoops = EventLoops.start(0, "tessera-mysql-io");
        }
        EventLoops loops = sharedLoops != null ? sharedLoops : ownLoops;
        boolean epoll = loops.epoll();
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tessera-mysql-accept", true),
                loops.ioHandlers());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, loops.group())
                .channel(loops.serverSocketChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accept(ch, ssl);
                    }
                });
        try {
            serverChannel = bootstrap.bind(config.bindAddress(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            // Netty rethrows the bind failure itself, checked or not.
            shutdownEventLoops();
            metrics.unregister();
            String where = config.bindAddress() + ":" + config.port();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot listen for MySQL clients on " + where + ": " + io.getMessage(),
                        io);
            }
            throw new IllegalStateException("cannot listen for MySQL clients on " + where, e);
        }
        log.info("MySQL protocol listening on {}:{} ({}{})", config.bindAddress(), port(), epoll ? "epoll" : "nio",
                ssl != null ? ", TLS available" : "");
    }

    private void accept(SocketChannel ch, SslContext ssl) {
        context.metrics().accepted();
        long id = nextConnectionId.getAndUpdate(n -> n >= 0xffffffffL ? 1 : n + 1);
        PacketFramer framer = new PacketFramer(Math.min(PRE_AUTH_MAX_PACKET_BYTES, config.maxPacketBytes()));
        ConnectionBridge bridge = new ConnectionBridge(ch);
        ClientSession session = new ClientSession(id, ch, bridge, framer, context);
        switch (connections.tryAdd(session, config.maxConnections())) {
            case CLOSING -> {
                ch.close();
                return;
            }
            case FULL -> {
                context.metrics().refused(ServerMetrics.Refusal.MAX_CONNECTIONS);
                ch.pipeline().addLast(new Refusal(tooManyConnections()));
                return;
            }
            case ADMITTED -> { }
        }
        // Read only when the session asks for a packet (see ConnectionBridge).
        ch.config().setAutoRead(false);
        if (ssl != null) {
            ch.pipeline().addLast("tls-detect", new TlsRequestDetector(ssl));
        }
        ch.pipeline().addLast("framer", framer).addLast("bridge", bridge);
        session.start();
    }

    private byte[] tooManyConnections() {
        MysqlError e = MysqlError.of(ErrorKind.TOO_MANY_CONNECTIONS, config.maxConnections());
        PacketBuilder p = new PacketBuilder().int1(Protocol.ERR_HEADER).int2(e.errno()).int1('#')
                .string(e.sqlState()).string(e.message());
        byte[] payload = p.toByteArray();
        return new PacketBuilder().int3(payload.length).int1(0).bytes(payload).toByteArray();
    }

    /** Sends one ready-made ERR packet as soon as the connection is active, then closes it. */
    private static final class Refusal extends ChannelInboundHandlerAdapter {
        private final byte[] packet;

        Refusal(byte[] packet) {
            this.packet = packet;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(packet)).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private SslContext sslContext() {
        try {
            return SslContextBuilder.forServer(config.sslCert().toFile(), config.sslKey().toFile())
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load the TLS certificate " + config.sslCert() + " and key "
                    + config.sslKey() + ": " + e.getMessage(), e);
        }
    }

    /** The port the server listens on (the one picked when the configured port is 0). */
    public synchronized int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("the MySQL server is not listening");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The number of client connections open now, including those still authenticating. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops accepting, closes every connection and closes each connection's handler (waiting a while for sessions
     * busy in their handler, and closing the handler of one that stays stuck), then stops the event loops.
     */
    @Override
    public synchronized void close() {
        if (closed || !started) {
            closed = true;
            return;
        }
        closed = true;
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        List<ClientSession> open = connections.close();
        for (ClientSession s : open) {
            s.shutdown();
        }
        for (ClientSession s : open) {
            if (!s.awaitEnd(SESSION_END_WAIT)) {
                log.warn("a MySQL session did not end within {} of shutdown; closing its handler anyway",
                        SESSION_END_WAIT);
                s.closeHandler();
            }
        }
        shutdownEventLoops();
        if (context != null) {
            context.metrics().unregister();
        }
    }

    private void shutdownEventLoops() {
        if (acceptor != null) {
            acceptor.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (ownLoops != null) {
            ownLoops.close();
        }
    }
}
