package io.tessera.common.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A daemon's Netty event loops, shared by its listeners and its outgoing connections so that a request can be
 * forwarded and answered on the thread that received it, without waking another one. The gate's MySQL connections
 * and its gRPC channels to tablets share one group; the tablet's gRPC server and its native connections to mysqld
 * share another. Native epoll where it loads (Linux: cheaper wake-ups and less garbage per packet than NIO's
 * selector), NIO otherwise.
 */
public final class EventLoops implements AutoCloseable {
    private final boolean epoll;
    private final EventLoopGroup group;

    private EventLoops(boolean epoll, EventLoopGroup group) {
        this.epoll = epoll;
        this.group = group;
    }

    /**
     * Starts {@code threads} event loops (0: {@link #defaultThreads()}), as daemon threads named
     * {@code threadPrefix-N-M}, at {@link Thread#MAX_PRIORITY}.
     *
     * <p>Why the priority: every statement passes through a loop twice on its way to mysqld and back, and the loops
     * share the cores with mysqld's and the clients' threads. A loop that has work but waits for a core behind them
     * holds up every statement queued on it while the rest of the machine runs out of work: on two cores, about a
     * quarter of the CPU sat idle under load. The JVM on Linux ignores Java priorities unless told to map them
     * ({@code -XX:ThreadPriorityPolicy=1}, which the {@code bin/} launchers of the gate and the tablet pass when the
     * process may raise priorities, with priority 10 mapped to nice -10); then the loops get the core as soon as
     * they have work (docs/PERFORMANCE.md, thirteenth run). Without those flags the priority changes nothing.
     */
    public static EventLoops start(int threads, String threadPrefix) {
        boolean epoll = Epoll.isAvailable();
        return new EventLoops(epoll, new MultiThreadIoEventLoopGroup(threads > 0 ? threads : defaultThreads(),
                new DefaultThreadFactory(threadPrefix, true, Thread.MAX_PRIORITY), ioHandlers(epoll)));
    }

    /**
     * Half the processors, at least one; Netty's {@code io.netty.eventLoopThreads} system property, when set, instead.
     * Netty's own default is twice the processors, for loops that mostly wait; Tessera's loops do the statements'
     * CPU work themselves (decoding, planning, encoding), and fewer of them, each with more connections, handle more
     * ready sockets and stream messages per wake-up and system call. On two cores shared with mysqld and the
     * clients, a gate and a tablet with one loop each spent about half the CPU per point select that they spent
     * with four (docs/PERFORMANCE.md).
     */
    public static int defaultThreads() {
        Integer configured = Integer.getInteger("io.netty.eventLoopThreads");
        if (configured != null && configured > 0) {
            return configured;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** The factory for further groups of the same kind (a listener's acceptor). */
    public IoHandlerFactory ioHandlers() {
        return ioHandlers(epoll);
    }

    private static IoHandlerFactory ioHandlers(boolean epoll) {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public boolean epoll() {
        return epoll;
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Every loop of the group. */
    public List<EventLoop> loops() {
        List<EventLoop> out = new ArrayList<>();
        for (EventExecutor e : group) {
            out.add((EventLoop) e);
        }
        return out;
    }

    public Class<? extends SocketChannel> socketChannelType() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends ServerSocketChannel> serverSocketChannelType() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The channel type for connections to a unix socket ({@link #domainSocketAddress} gives its address). */
    public Class<? extends Channel> domainSocketChannelType() {
        return epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
    }

    /** The address of the unix socket {@code path}, in the form {@link #domainSocketChannelType} connects to. */
    public SocketAddress domainSocketAddress(Path path) {
        return epoll ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
    }

    /** Stops the loops, once whatever uses them has closed. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
