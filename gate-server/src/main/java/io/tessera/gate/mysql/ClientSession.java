package io.tessera.gate.mysql;

import io.netty.channel.Channel;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection from greeting to close, run on its own virtual thread: the handshake, opening the
 * {@link ConnectionHandler}, then commands one at a time until the client quits, the connection breaks or the
 * server closes. Whatever happens, the handler is closed exactly once and the connection is closed.
 */
final class ClientSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final long connectionId;
    private final Channel channel;
    private final ConnectionBridge bridge;
    private final PacketFramer framer;
    private final ServerContext context;
    private final AtomicBoolean handlerClosed = new AtomicBoolean();
    private volatile ConnectionHandler handler;
    private volatile Thread thread;

    ClientSession(long connectionId, Channel channel, ConnectionBridge bridge, PacketFramer framer,
            ServerContext context) {
        this.connectionId = connectionId;
        this.channel = channel;
        this.bridge = bridge;
        this.framer = framer;
        this.context = context;
    }

    /** Closes the connection from any thread; the session's thread then sees it closed and ends as usual. */
    private void disconnect() {
        channel.close();
    }

    void start() {
        thread = Thread.ofVirtual().name("tessera-mysql-conn-" + connectionId).start(this);
    }

    @Override
    public void run() {
        PacketChannel packets = new PacketChannel(channel, bridge);
        boolean closing = false;
        boolean authenticated = false;
        try {
            MysqlServerConfig config = context.config();
            AuthExchange exchange = new AuthExchange(context.auth(), packets, context.metrics(),
                    (InetSocketAddress) channel.remoteAddress());
            Handshake.Login login;
            try {
                login = new Handshake(packets, exchange, config, context.auth().handshakePlugin(), connectionId)
                        .run(System.nanoTime() + config.handshakeTimeout().toNanos());
            } catch (HandshakeTimeoutException e) {
                context.metrics().refused(ServerMetrics.Refusal.HANDSHAKE_TIMEOUT);
                log.debug("connection {} from {}: handshake timeout", connectionId, channel.remoteAddress());
                return;
            } catch (TesseraException e) {
                context.metrics().refused(ServerMetrics.Refusal.AUTH);
                log.debug("connection {} from {} refused: {}", connectionId, channel.remoteAddress(), e.getMessage());
                closing = sendErrorAndClose(packets, MysqlError.of(e));
                return;
            }
            ClientConnection client = new ClientConnection(connectionId, login.user(), login.database(),
                    login.capabilities());
            ConnectionHandler h;
            try {
                h = context.handlers().open(client, this::disconnect);
            } catch (RuntimeException e) {
                context.metrics().refused(ServerMetrics.Refusal.SESSION);
                log.debug("connection {}: the session was refused: {}", connectionId, e.toString());
                closing = sendErrorAndClose(packets, MysqlError.of(e));
                return;
            }
            handler = h;
            authenticated = true;
            if (login.cacheMetadata()) {
                context.metrics().cacheMetadataSession();
            }
            framer.maxPacketBytes(config.maxPacketBytes());
            ResultWriter writer = new ResultWriter(packets,
                    (login.capabilities() & Protocol.CLIENT_DEPRECATE_EOF) != 0,
                    (login.capabilities() & Protocol.CLIENT_SESSION_TRACK) != 0, login.cacheMetadata());
            writer.ok(StatusFlags.of(h, false));
            packets.flush();
            StatementCommands statements = new StatementCommands(h, writer, config.maxPacketBytes());
            Commands commands = new Commands(h, packets, writer, statements, exchange, login,
                    config.handshakeTimeout(), context.statistics());
            bridge.enableAsync(new AsyncCommands(h, packets, writer, statements, context.statistics(),
                    context.metrics(), bridge, channel.eventLoop()));
            long idleNanos = config.idleTimeout().toNanos();
            while (true) {
                byte[] command = packets.readCommand(idleNanos);
                if (command == null) {
                    log.debug("connection {}: idle for more than {}, closing", connectionId, config.idleTimeout());
                    packets.resetSequence();
                    closing = sendErrorAndClose(packets, MysqlError.of(ErrorKind.IDLE_TIMEOUT,
                            describe(config.idleTimeout())));
                    return;
                }
                if (commands.process(command) == Commands.Next.CLOSE) {
                    return;
                }
            }
        } catch (PacketTooLargeException e) {
            refusedIfNew(authenticated, ServerMetrics.Refusal.MALFORMED);
            closing = sendErrorAndClose(packets, MysqlError.of(ErrorKind.PACKET_TOO_LARGE, e.limit()));
        } catch (MalformedPacketException e) {
            refusedIfNew(authenticated, ServerMetrics.Refusal.MALFORMED);
            log.debug("connection {} from {}: malformed packet: {}", connectionId, channel.remoteAddress(),
                    e.getMessage());
            closing = sendErrorAndClose(packets, MysqlError.of(ErrorKind.MALFORMED_PACKET, e.getMessage()));
        } catch (ConnectionClosedException e) {
            log.debug("connection {} closed", connectionId);
        } catch (HandshakeTimeoutException e) {
            // A COM_CHANGE_USER whose client stopped answering the plugin exchange.
            log.debug("connection {}: re-authentication timed out", connectionId);
        } catch (RuntimeException | Error e) {
            log.error("connection {} failed", connectionId, e);
            closing = sendErrorAndClose(packets, MysqlError.of(e));
        } finally {
            closeHandler();
            if (!closing) {
                packets.close();
            }
            context.registry().remove(this);
        }
    }

    /** Closes the connection and interrupts whatever the session thread is blocked in (server shutdown). */
    void shutdown() {
        channel.close();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Waits for the session thread to end; false if it is still running after {@code timeout}. */
    boolean awaitEnd(Duration timeout) {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        try {
            return t.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes the handler if nobody has yet; the last resort when the session thread is stuck in it. */
    void closeHandler() {
        ConnectionHandler h = handler;
        if (h != null && handlerClosed.compareAndSet(false, true)) {
            try {
                h.close();
            } catch (RuntimeException e) {
                log.warn("connection {}: closing the session failed", connectionId, e);
            }
        }
    }

    private void refusedIfNew(boolean authenticated, ServerMetrics.Refusal reason) {
        if (!authenticated) {
            context.metrics().refused(reason);
        }
    }

    /** Sends {@code error} if the connection is still open and closes it once written; returns true. */
    private static boolean sendErrorAndClose(PacketChannel packets, MysqlError error) {
        if (packets.isOpen()) {
            try {
                new ResultWriter(packets, false, false, false).error(error);
            } catch (ConnectionClosedException e) {
                // Nobody is listening any more.
            }
        }
        packets.flushAndClose();
        return true;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
