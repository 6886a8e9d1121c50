package io.tessera.gate.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
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
 * <p>Every hand-over between threads wakes one, which costs system calls and context switches, so two shortcuts
 * keep them few:
 *
 * <ul>
 *   <li>The end of a command's response does in one event-loop task what would otherwise take three: write the last
 *       buffer, flush, and resume reading for the next command ({@link #writeFlushAndRead}).
 *   <li>A command that arrives while the session thread waits for one, with nothing queued, may be run by the event
 *       loop itself without blocking ({@link AsyncCommands}): the session thread then stays asleep and takes no
 *       further event until that command has answered ({@link #asyncEnded}) or handed itself back
 *       ({@link #asyncDeclined}). Reading stays on meanwhile (turning it off and on again costs two
 *       {@code epoll_ctl} calls per command); a packet that arrives while the command runs is queued, which turns
 *       reading off, and waits for it to end, so one command at a time still holds.
 * </ul>
 */
final class ConnectionBridge extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionBridge.class);

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when an event is queued or a command run by the event loop ends. */
    private final Condition changed = lock.newCondition();
    private final ReentrantLock writabilityLock = new ReentrantLock();
    private final Condition writabilityChanged = writabilityLock.newCondition();
    private final Channel channel;
    private final ArrayDeque<Inbound> queue = new ArrayDeque<>(); // guarded by lock
    /** The session thread waits in {@link #next} for the first packet of a command. Guarded by lock. */
    private boolean sessionAwaitsCommand;
    /** A command runs on the event loop ({@link AsyncCommands}). Guarded by lock. */
    private boolean asyncRunning;
    /** When the last command run by the event loop ended, in {@link System#nanoTime()}. Guarded by lock. */
    private long asyncEndedNanos;
    /** Set once by the session thread after login; read by the event loop. */
    private volatile AsyncCommands async;
    /**
     * Session thread only: a task that resumes reading was handed to the event loop after the session last took an
     * event, so waiting for the next event needs no new one. That task resumes reading unless an event is already
     * queued, which the session then finds without waiting.
     */
    private boolean readResumeRequested;

    ConnectionBridge(Channel channel) {
        this.channel = channel;
    }

    /** Lets the event loop run the commands {@code commands} can run, from now on. Session thread only. */
    void enableAsync(AsyncCommands commands) {
        this.async = commands;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Inbound event)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        AsyncCommands commands = async;
        Inbound.Packet runHere = null;
        lock.lock();
        try {
            if (commands != null && sessionAwaitsCommand && !asyncRunning && queue.isEmpty()
                    && event instanceof Inbound.Packet p && p.sequenceId() == 0 && AsyncCommands.accepts(p.payload())) {
                asyncRunning = true;
                runHere = p;
            } else {
                queue.add(event);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        if (runHere == null) {
            // Whoever takes the event resumes reading once nothing is left to process.
            ctx.channel().config().setAutoRead(false);
        } else if (!commands.start(runHere)) {
            asyncDeclined(runHere);
        }
    }

    /**
     * A command the event loop took declined to run there, having changed nothing: the session thread runs it, as
     * if it had been queued in the first place.
     */
    void asyncDeclined(Inbound.Packet command) {
        // The session thread now has an event to process; it resumes reading when done.
        channel.config().setAutoRead(false);
        lock.lock();
        try {
            asyncRunning = false;
            asyncEndedNanos = System.nanoTime();
            queue.addFirst(command);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the event loop: a command it ran has its whole response in {@code last} (may be null); writes and flushes
     * it, then lets the session thread take events again and resumes reading unless an event is already queued.
     */
    void asyncEnded(ByteBuf last) {
        if (last != null) {
            channel.write(last, channel.voidPromise());
        }
        channel.flush();
        boolean idle;
        lock.lock();
        try {
            asyncRunning = false;
            asyncEndedNanos = System.nanoTime();
            idle = queue.isEmpty();
            if (!idle) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        if (idle) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        lock.lock();
        try {
            queue.add(new Inbound.Closed());
            changed.signal();
        } finally {
            lock.unlock();
        }
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
     *
     * @param command whether the session waits for the first packet of a command, which the event loop may then
     *     run itself; the timeout then counts from the end of the last such command, and never runs out while one
     *     runs
     */
    Inbound next(long timeoutNanos, boolean command) {
        lock.lock();
        try {
            if (queue.isEmpty() && !asyncRunning && !readResumeRequested) {
                try {
                    channel.eventLoop().execute(this::resumeReadingIfIdle);
                } catch (RejectedExecutionException e) {
                    return new Inbound.Closed();
                }
                readResumeRequested = true;
            }
            long waitStarted = System.nanoTime();
            sessionAwaitsCommand = command;
            while (queue.isEmpty() || asyncRunning) {
                if (timeoutNanos <= 0) {
                    changed.await();
                    continue;
                }
                // The end of a command run by the event loop wakes nobody unless something is queued (that wake-up
                // is what running it there saves), so the timeout is checked again whenever it would run out.
                long idleSince = command ? Math.max(waitStarted, asyncEndedNanos) : waitStarted;
                long left = idleSince + timeoutNanos - System.nanoTime();
                if (left <= 0) {
                    if (!asyncRunning) {
                        return null;
                    }
                    left = timeoutNanos;
                }
                changed.awaitNanos(left);
            }
            readResumeRequested = false;
            return queue.poll();
        } catch (InterruptedException e) {
            // Session threads are interrupted only when the server closes.
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException();
        } finally {
            sessionAwaitsCommand = false;
            lock.unlock();
        }
    }

    /**
     * Writes {@code last} (may be null), flushes, and resumes reading unless an event is already queued, all in one
     * event-loop task. Returns false if the event loop is gone (the connection is closing); {@code last} is then
     * released. Session thread only.
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
        boolean idle;
        lock.lock();
        try {
            idle = queue.isEmpty() && !asyncRunning;
        } finally {
            lock.unlock();
        }
        if (idle) {
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
