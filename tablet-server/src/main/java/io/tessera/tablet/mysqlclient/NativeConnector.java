package io.tessera.tablet.mysqlclient;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.tessera.common.net.EventLoops;
import io.tessera.tablet.mysqlctl.DbConnector;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens native connections to one mysqld as one user: through the unix socket when the connector's endpoint has
 * one, else over TCP, as {@link DbConnector#connect()} does. A connection's session matches one that
 * {@link DbConnector#connect()} opens (see {@link SessionSetup}), so statements behave the same on either.
 */
public final class NativeConnector {
    private final DbConnector connector;
    private final Class<? extends Channel> channelType;
    private final SocketAddress address;
    private final boolean tcp;
    private final boolean deprecateEof;
    private final long selectLimit;

    /** Sessions with the server's default {@code sql_select_limit}. */
    public NativeConnector(DbConnector connector, EventLoops loops) {
        this(connector, loops, 0);
    }

    /**
     * Sessions set up with {@code sql_select_limit=selectLimit} (none if 0), so the statements that run under that
     * limit need no per-statement {@code SET STATEMENT ... FOR} (see {@link NativeConnection#sessionSelectLimit}).
     */
    public NativeConnector(DbConnector connector, EventLoops loops, long selectLimit) {
        this(connector, loops, true, selectLimit);
    }

    /** As the public constructors; {@code deprecateEof} false only to test the older result framing. */
    NativeConnector(DbConnector connector, EventLoops loops, boolean deprecateEof, long selectLimit) {
        if (selectLimit < 0) {
            throw new IllegalArgumentException("selectLimit must not be negative, got " + selectLimit);
        }
        this.deprecateEof = deprecateEof;
        this.selectLimit = selectLimit;
        this.connector = Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(loops, "loops");
        if (connector.endpoint().unixSocket().isPresent()) {
            this.tcp = false;
            this.channelType = loops.domainSocketChannelType();
            this.address = loops.domainSocketAddress(connector.endpoint().unixSocket().get());
        } else {
            this.tcp = true;
            this.channelType = loops.socketChannelType();
            // Resolved here, once, so that connecting never waits for DNS on an event loop.
            this.address = new InetSocketAddress(connector.endpoint().host(), connector.endpoint().port());
        }
    }

    /**
     * Connects on {@code loop} (the channel is registered on it): handshake, mysql_native_password authentication
     * (following an auth switch), default database, then the session setup. The future completes on the loop; it
     * fails with {@link NativeConnectionException} if mysqld cannot be reached, refuses the user (the cause is then
     * the {@link MysqlServerException}, errno 1045 for a wrong password), or all of it takes longer than the
     * connector's connect timeout. May be called from any thread.
     */
    public CompletableFuture<NativeConnection> connect(EventLoop loop) {
        CompletableFuture<NativeConnection> done = new CompletableFuture<>();
        if (loop.inEventLoop()) {
            start(loop, done);
        } else {
            loop.execute(() -> start(loop, done));
        }
        return done;
    }

    private void start(EventLoop loop, CompletableFuture<NativeConnection> done) {
        PacketSequence sequence = new PacketSequence();
        PacketDecoder decoder = new PacketDecoder(sequence);
        long timeoutMillis = Math.max(1, connector.connectTimeout().toMillis());
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        LoginHandler login = new LoginHandler(connector, sequence, decoder, done, deprecateEof, selectLimit);
                        ch.pipeline().addLast("frames", decoder)
                                .addLast("packets", new PacketEncoder(sequence))
                                .addLast("login", login);
                    }
                });
        if (tcp) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
        }
        ChannelFuture connecting = bootstrap.connect(address);
        // The connect timeout bounds the whole login, not just the TCP connect.
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (done.completeExceptionally(new NativeConnectionException("connecting to mysqld at " + where()
                    + " as " + connector.user().user() + " timed out after " + timeoutMillis + " ms", false))) {
                connecting.channel().close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        done.whenComplete((c, e) -> timer.cancel(false));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(new NativeConnectionException("cannot connect to mysqld at " + where()
                        + " as " + connector.user().user() + ": " + f.cause().getMessage(), false, f.cause()));
            }
        });
    }

    private String where() {
        return connector.endpoint().unixSocket().map(Object::toString).orElseGet(connector.endpoint()::describe);
    }

    @Override
    public String toString() {
        return "NativeConnector[" + connector.describe() + "]";
    }
}
