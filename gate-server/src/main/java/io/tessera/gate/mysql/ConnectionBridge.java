package io.tessera.gate.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection's pipeline and the hand-over point between its event loop and its session
 * thread. The event loop queues each decoded {@link Inbound} event and stops reading; the session thread takes
 * events and asks for reading again only when it has nothing left to process, so a client cannot pile up commands
 * and the handler above never runs two commands of one connection at once.
 *
 * <p>Every hand-over to the event loop wakes it, which costs a system call and a context switch, so the end of a
 * command's response does in one task what would otherwise take three: write the last buffer, flush, and resume
 * reading for the next command ({@link #writeFlushAndRead}). The session then needs no extra task to resume reading
 * when it comes back for that command ({@link #next}).
 */
final class ConnectionBridge extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionBridge.class);

    private final BlockingQueue<Inbound> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock writabilityLock = new ReentrantLock();
    private final Condition writabilityChanged = writabilityLock.newCondition();
    private final Channel channel;
    /**
     * Session thread only: a task that resumes reading was handed to the event loop after the session last took an
     * event, so waiting for the next event needs no new one. That task resumes reading unless an event is already
     * queued, which the session then finds without waiting.
     */
    private boolean readResumeRequested;

    ConnectionBridge(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Inbound event) {
            queue.add(event);
            ctx.channel().config().setAutoRead(false);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        queue.add(new Inbound.Closed());
        signalWritability();
        super.channelInactive(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        signalWritability();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets, TLS failures and the like: the connection is lost; the session thread sees it closed.
        log.debug("closing MySQL connection from {} after an I/O error", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    /**
     * The next event, waiting at most {@code timeoutNanos} (0 or less waits forever); null on timeout. Reading from
     * the socket resumes only while the session waits here with nothing queued.
     */
    Inbound next(long timeoutNanos) {
        Inbound event = queue.poll();
        if (event != null) {
            readResumeRequested = false;
            return event;
        }
        if (!readResumeRequested) {
            try {
                channel.eventLoop().execute(this::resumeReadingIfIdle);
            } catch (RejectedExecutionException e) {
                return new Inbound.Closed();
            }
        }
        try {
            event = timeoutNanos > 0 ? queue.poll(timeoutNanos, TimeUnit.NANOSECONDS) : queue.take();
            if (event != null) {
                readResumeRequested = false;
            }
            return event;
        } catch (InterruptedException e) {
            // Session threads are interrupted only when the server closes.
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException();
        }
    }

    /**
     * Writes {@code last} (may be null), flushes, and resumes reading unless an event is already queued, all in one
     * event-loop task. Returns false if the event loop is gone (the connection is closing); {@code last} is then
     * released.
     */
    boolean writeFlushAndRead(ByteBuf last) {
        readResumeRequested = true;
        try {
            channel.eventLoop().execute(() -> {
                if (last != null) {
                    channel.write(last, channel.voidPromise());
                }
                channel.flush();
                resumeReadingIfIdle();
            });
            return true;
        } catch (RejectedExecutionException e) {
            if (last != null) {
                last.release();
            }
            return false;
        }
    }

    /** On the event loop, so that this cannot race with channelRead turning reading off again. */
    private void resumeReadingIfIdle() {
        if (queue.isEmpty()) {
            channel.config().setAutoRead(true);
        }
    }

    /** Blocks until the channel accepts more outbound data; throws if it closes meanwhile. */
    void awaitWritable() {
        Channel ch = channel;
        writabilityLock.lock();
        try {
            while (ch.isActive() && !ch.isWritable()) {
                // The timed wait is only a safety net; writability changes are signalled.
                writabilityChanged.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException();
        } finally {
            writabilityLock.unlock();
        }
        if (!ch.isActive()) {
            throw new ConnectionClosedException();
        }
    }

    private void signalWritability() {
        writabilityLock.lock();
        try {
            writabilityChanged.signalAll();
        } finally {
            writabilityLock.unlock();
        }
    }
}
