package io.tessera.gate.net;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops of the gate's MySQL connections, shared with its gRPC channels to tablets. A statement the
 * event loop runs itself calls its tablet over the channel bound to that same loop, so the call is sent and its
 * answer handled without waking another thread. Native epoll where it loads (Linux: cheaper wake-ups and less
 * garbage per packet than NIO's selector), NIO otherwise.
 */
public final class GateEventLoops implements AutoCloseable {
    private final boolean epoll;
    private final EventLoopGroup group;

    private GateEventLoops(boolean epoll, EventLoopGroup group) {
        this.epoll = epoll;
        this.group = group;
    }

    /** Starts {@code threads} event loops (0: Netty's default, twice the processors). */
    public static GateEventLoops start(int threads) {
        boolean epoll = Epoll.isAvailable();
        return new GateEventLoops(epoll, new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory("tessera-mysql-io", true), ioHandlers(epoll)));
    }

    /** The factory for further groups of the same kind (the MySQL listener's acceptor). */
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

    /** Stops the loops, once whatever uses them has closed. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
