package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in MySQL connection whose channel is registered on one event loop. Statements are sent and their results
 * read on that loop, one at a time, and every future completes on it, so a caller on the loop never waits for
 * another thread. Made by {@link NativeConnector#connect}.
 *
 * <p>Everything but {@link #close()}, {@link #onClose} and the getters must be called on {@link #loop()}.
 */
public final class NativeConnection {
    private static final Logger log = LoggerFactory.getLogger(NativeConnection.class);
    private static final int COM_QUIT = 0x01;
    private static final int COM_QUERY = 0x03;
    private static final int COM_STMT_PREPARE = 0x16;
    private static final int COM_STMT_EXECUTE = 0x17;
    private static final int COM_STMT_CLOSE = 0x19;
    private static final int MYSQL_TYPE_LONGLONG = 8;
    private static final int MYSQL_TYPE_NULL = 6;
    private static final int MYSQL_TYPE_VAR_STRING = 253;
    private static final int UNSIGNED_PARAMETER = 0x80;

    private final Channel channel;
    private final long connectionId;
    private final PacketSequence sequence;
    private final PacketDecoder decoder;
    private final boolean deprecateEof;
    private final boolean cacheMetadata;
    private final String server;
    private final long sessionSelectLimit;
    private final List<Runnable> closeListeners = new ArrayList<>();
    /** Statements prepared on this session, by text, least recently used first. */
    private final LinkedHashMap<String, ServerStatement> prepared = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * Under MARIADB_CLIENT_CACHE_METADATA, the column definitions mysqld last sent for each statement kept here, by
     * statement id: an execute that comes back without definitions has these.
     */
    private final Map<Long, List<ColumnDefinition>> lastColumns = new HashMap<>();
    /** Statement ids to close before the next command (COM_STMT_CLOSE has no answer, so it rides along). */
    private final List<Long> toClose = new ArrayList<>();
    // Written on the loop only; volatile so that isUsable() answers sensibly from another thread.
    private volatile Command<?> command;
    private volatile boolean closing;
    private volatile boolean closed;

    /** The command in flight, how its answer is read, and how many bytes had arrived when it was sent. */
    private record Command<T>(ResponseReader<T> reader, CompletableFuture<T> future, long bytesBefore) {
        void finish() {
            RuntimeException failure = reader.failure();
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(reader.result());
            }
        }
    }

    /** Made once: a listener on every statement's write, which fails only when the connection breaks. */
    private final ChannelFutureListener onSendFailure;

    NativeConnection(Channel channel, long connectionId, PacketSequence sequence, PacketDecoder decoder,
            boolean deprecateEof, boolean cacheMetadata, String server, long sessionSelectLimit) {
        this.channel = channel;
        this.sessionSelectLimit = sessionSelectLimit;
        this.connectionId = connectionId;
        this.sequence = sequence;
        this.decoder = decoder;
        this.deprecateEof = deprecateEof;
        this.cacheMetadata = cacheMetadata;
        this.server = server;
        this.onSendFailure = f -> {
            if (!f.isSuccess()) {
                abort("cannot send a statement to mysqld at " + server + ": " + f.cause().getMessage(), f.cause());
            }
        };
        channel.pipeline().addLast("commands", new Responses());
        channel.closeFuture().addListener(f -> closed());
    }

    /** Whether the session has MariaDB's MARIADB_CLIENT_CACHE_METADATA (mysqld 10.6 and later offer it). */
    public boolean cachesMetadata() {
        return cacheMetadata;
    }

    /** mysqld's thread id for this connection (what {@code KILL} and {@code KILL QUERY} take). */
    public long connectionId() {
        return connectionId;
    }

    /**
     * The {@code sql_select_limit} the session was set up with, or 0 if it has the server's default. A pooled
     * connection keeps it: the pool runs no statement that changes the session.
     */
    public long sessionSelectLimit() {
        return sessionSelectLimit;
    }

    /** The loop the connection's channel is registered on. */
    public EventLoop loop() {
        return channel.eventLoop();
    }

    /** True if the connection is open, not broken, and has no command in flight. */
    public boolean isUsable() {
        return !closing && !closed && command == null && channel.isActive();
    }

    /**
     * Sends {@code sql} as COM_QUERY. The future completes on the loop with the first result (an OK or a result
     * set); further results (SERVER_MORE_RESULTS_EXISTS, e.g. from CALL) are read and dropped first, so the
     * connection is ready for the next statement when it completes. An ERR packet fails it with
     * {@link MysqlServerException} and leaves the connection usable; an I/O or protocol failure fails it with
     * {@link NativeConnectionException} and closes the connection. On a closed connection the future fails at once
     * with {@link NativeConnectionException}.
     *
     * @throws IllegalStateException if called off the loop, or while another statement is in flight
     */
    public CompletableFuture<NativeResult> query(String sql) {
        ByteBuf payload = channel.alloc().buffer(1 + ByteBufUtil.utf8Bytes(sql));
        payload.writeByte(COM_QUERY);
        payload.writeCharSequence(sql, StandardCharsets.UTF_8);
        return send(new ResultReader(deprecateEof, false, cacheMetadata, null, null), payload);
    }

    /**
     * Prepares {@code sql} on the session (COM_STMT_PREPARE) and keeps it for {@link #preparedStatement}: the
     * connection keeps the {@code keep} statements used last and closes the others on mysqld. The future fails with
     * {@link MysqlServerException} when mysqld refuses to prepare it (the connection stays usable), otherwise as
     * {@link #query} does.
     *
     * @throws IllegalStateException if called off the loop, or while another statement is in flight
     */
    public CompletableFuture<ServerStatement> prepare(String sql, int keep) {
        ByteBuf payload = channel.alloc().buffer(1 + ByteBufUtil.utf8Bytes(sql));
        payload.writeByte(COM_STMT_PREPARE);
        payload.writeCharSequence(sql, StandardCharsets.UTF_8);
        return send(new PrepareReader(deprecateEof, sql), payload).thenApply(statement -> {
            ServerStatement replaced = prepared.put(sql, statement);
            if (replaced != null) {
                forget(replaced);
            }
            if (cacheMetadata) {
                lastColumns.put(statement.id(), statement.columns());
            }
            var oldest = prepared.entrySet().iterator();
            while (prepared.size() > Math.max(1, keep)) {
                ServerStatement evicted = oldest.next().getValue();
                oldest.remove();
                forget(evicted);
            }
            return statement;
        });
    }

    /** The statement prepared from {@code sql} on this session, if the connection still keeps it; else null. */
    public ServerStatement preparedStatement(String sql) {
        return prepared.get(sql);
    }

    /** How many prepared statements the connection keeps open on mysqld. */
    public int preparedStatements() {
        return prepared.size();
    }

    /**
     * Closes {@code statement} on mysqld (COM_STMT_CLOSE, sent ahead of the next command) and forgets it. Call on
     * the loop.
     */
    public void closeStatement(ServerStatement statement) {
        if (prepared.remove(statement.sql(), statement)) {
            forget(statement);
        }
    }

    /** Closes a statement no longer kept on mysqld, with the next command. */
    private void forget(ServerStatement statement) {
        toClose.add(statement.id());
        lastColumns.remove(statement.id());
    }

    /**
     * Executes {@code statement}, prepared on this connection, with {@code parameters} (COM_STMT_EXECUTE). The
     * result's rows are text-protocol rows, as {@link #query} gives for the same values. When a column of the
     * result cannot be rendered so, the statement has run but the future fails with {@link BinaryResultException};
     * otherwise it completes and fails as {@link #query} does.
     *
     * @throws IllegalArgumentException if the number of parameters is not the statement's
     * @throws IllegalStateException if called off the loop, or while another statement is in flight
     */
    public CompletableFuture<NativeResult> execute(ServerStatement statement, List<Parameter> parameters) {
        int n = parameters.size();
        if (n != statement.parameters()) {
            throw new IllegalArgumentException("statement " + statement.id() + " takes " + statement.parameters()
                    + " parameters, got " + n);
        }
        ByteBuf payload = channel.alloc().buffer(16 + n * 12);
        payload.writeByte(COM_STMT_EXECUTE);
        payload.writeIntLE((int) statement.id());
        payload.writeByte(0); // no cursor
        payload.writeIntLE(1); // iteration count
        if (n > 0) {
            byte[] nulls = new byte[(n + 7) / 8];
            for (int i = 0; i < n; i++) {
                if (parameters.get(i) instanceof Parameter.Null) {
                    nulls[i / 8] |= (byte) (1 << (i % 8));
                }
            }
            payload.writeBytes(nulls);
            payload.writeByte(1); // the types follow
            for (Parameter p : parameters) {
                switch (p) {
                    case Parameter.Null ignored -> payload.writeByte(MYSQL_TYPE_NULL).writeByte(0);
                    case Parameter.Int i -> payload.writeByte(MYSQL_TYPE_LONGLONG)
                            .writeByte(i.unsigned() ? UNSIGNED_PARAMETER : 0);
                    case Parameter.Text ignored -> payload.writeByte(MYSQL_TYPE_VAR_STRING).writeByte(0);
                }
            }
            for (Parameter p : parameters) {
                switch (p) {
                    case Parameter.Null ignored -> { }
                    case Parameter.Int i -> payload.writeLongLE(i.value());
                    case Parameter.Text t -> {
                        Wire.writeLenenc(payload, t.utf8().length);
                        payload.writeBytes(t.utf8());
                    }
                }
            }
        }
        if (!cacheMetadata) {
            return send(new ResultReader(deprecateEof, true, false, null, null), payload);
        }
        long id = statement.id();
        List<ColumnDefinition> known = lastColumns.getOrDefault(id, statement.columns());
        // Definitions that come with the result, whatever becomes of it, are those mysqld leaves out next time.
        return send(new ResultReader(deprecateEof, true, true, known, received -> {
            if (prepared.get(statement.sql()) == statement) {
                lastColumns.put(id, received);
            }
        }), payload);
    }

    /** Sends a command's payload (released here) and reads its answer with {@code reader}. */
    private <T> CompletableFuture<T> send(ResponseReader<T> reader, ByteBuf payload) {
        if (!channel.eventLoop().inEventLoop()) {
            payload.release();
            throw new IllegalStateException("commands must be sent on the connection's event loop");
        }
        if (command != null) {
            payload.release();
            throw new IllegalStateException("connection " + connectionId + " to mysqld at " + server
                    + " already has a statement in flight");
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        if (closing || closed || !channel.isActive()) {
            payload.release();
            future.completeExceptionally(new NativeConnectionException("connection " + connectionId
                    + " to mysqld at " + server + " is closed", false));
            return future;
        }
        for (long id : toClose) {
            sequence.reset();
            channel.write(channel.alloc().buffer(5).writeByte(COM_STMT_CLOSE).writeIntLE((int) id));
        }
        toClose.clear();
        command = new Command<>(reader, future, decoder.bytesReceived());
        sequence.reset();
        channel.writeAndFlush(payload).addListener(onSendFailure);
        return future;
    }

    /**
     * Runs {@code listener} once, on the loop, when the connection closes for any reason (right away if it is
     * already closed). May be called from any thread.
     */
    public void onClose(Runnable listener) {
        EventLoop loop = channel.eventLoop();
        if (!loop.inEventLoop()) {
            loop.execute(() -> onClose(listener));
            return;
        }
        if (closed) {
            runListener(listener);
        } else {
            closeListeners.add(listener);
        }
    }

    /**
     * Sends COM_QUIT and closes the connection; a statement in flight fails with
     * {@link NativeConnectionException}. May be called from any thread; does nothing if already closed.
     */
    public void close() {
        EventLoop loop = channel.eventLoop();
        if (!loop.inEventLoop()) {
            try {
                loop.execute(this::close);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down; it closes its channels itself.
                channel.close();
            }
            return;
        }
        if (closing || closed) {
            return;
        }
        closing = true;
        failCommand("connection " + connectionId + " to mysqld at " + server + " was closed by the client", null);
        if (channel.isActive()) {
            sequence.reset();
            channel.writeAndFlush(channel.alloc().buffer(1).writeByte(COM_QUIT))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "NativeConnection[" + connectionId + "@" + server + (isUsable() ? "" : ", busy or closed") + "]";
    }

    private void closed() {
        closed = true;
        failCommand("connection " + connectionId + " to mysqld at " + server + " closed", null);
        List<Runnable> listeners = new ArrayList<>(closeListeners);
        closeListeners.clear();
        listeners.forEach(NativeConnection::runListener);
    }

    private static void runListener(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            log.warn("a close listener of a native connection failed", e);
        }
    }

    /** Fails the statement in flight, if any, then closes the connection. */
    private void abort(String message, Throwable cause) {
        failCommand(message, cause);
        channel.close();
    }

    private void failCommand(String message, Throwable cause) {
        Command<?> c = command;
        if (c == null) {
            return;
        }
        command = null;
        boolean responseStarted = decoder.bytesReceived() > c.bytesBefore();
        c.future().completeExceptionally(new NativeConnectionException(message, responseStarted, cause));
    }

    /** The last handler of the pipeline once logged in: feeds response packets to the statement in flight. */
    private final class Responses extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf p = (ByteBuf) msg;
            try {
                read(p);
            } finally {
                p.release();
            }
        }

        private void read(ByteBuf p) {
            Command<?> c = command;
            if (c == null) {
                // mysqld speaks unasked only to say why it is about to close the connection (shutdown, killed).
                String what = p.isReadable() && p.getUnsignedByte(p.readerIndex()) == ServerPackets.ERR
                        ? ServerPackets.err(p).toString() : "an unexpected packet";
                log.debug("connection {} to mysqld at {}: {} while idle; closing", connectionId, server, what);
                channel.close();
                return;
            }
            ResponseReader.Progress progress;
            try {
                progress = c.reader().read(p);
            } catch (RuntimeException e) {
                abort("protocol error reading a result from mysqld at " + server + ": " + e.getMessage(), e);
                return;
            }
            if (progress == ResponseReader.Progress.DONE) {
                // Cleared first, so whatever runs on completion may send the next statement right away.
                command = null;
                c.finish();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            abort("connection " + connectionId + " to mysqld at " + server + " failed: " + cause.getMessage(),
                    cause);
        }
    }
}
