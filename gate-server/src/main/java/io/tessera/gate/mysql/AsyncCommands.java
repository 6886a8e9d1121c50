package io.tessera.gate.mysql;

import io.netty.channel.EventLoop;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.QueryResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a connection's simplest commands on its event loop, so that they cost no hand-over to the session thread and
 * back: COM_QUERY with one statement and COM_STMT_EXECUTE, when the handler can start the statement without
 * blocking ({@link ConnectionHandler#start}). Everything else, and every command the handler declines, goes to the
 * session thread as usual ({@link ConnectionBridge#asyncDeclined}).
 *
 * <p>The response is written on the event loop once the handler's future completes (hopping there if it completed
 * elsewhere), with the writer and packet channel the session thread otherwise uses: the two never run at once,
 * because the session thread takes no event while a command runs here.
 */
final class AsyncCommands {
    private static final Logger log = LoggerFactory.getLogger(AsyncCommands.class);

    private final ConnectionHandler handler;
    private final PacketChannel packets;
    private final ResultWriter writer;
    private final StatementCommands statements;
    private final ServerStatistics statistics;
    private final ServerMetrics metrics;
    private final ConnectionBridge bridge;
    private final EventLoop loop;

    AsyncCommands(ConnectionHandler handler, PacketChannel packets, ResultWriter writer, StatementCommands statements,
            ServerStatistics statistics, ServerMetrics metrics, ConnectionBridge bridge, EventLoop loop) {
        this.handler = handler;
        this.packets = packets;
        this.writer = writer;
        this.statements = statements;
        this.statistics = statistics;
        this.metrics = metrics;
        this.bridge = bridge;
        this.loop = loop;
    }

    /** Whether {@code payload} is a command this class may run; a cheap check before {@link #start}. */
    static boolean accepts(byte[] payload) {
        if (payload.length == 0) {
            return false;
        }
        int command = payload[0] & 0xff;
        return command == Protocol.COM_QUERY || command == Protocol.COM_STMT_EXECUTE;
    }

    /**
     * On the event loop: starts {@code command}. Returns false, having changed nothing, if the session thread must
     * run it; otherwise the response follows and {@link ConnectionBridge#asyncEnded} (or, if the statement did not
     * run after all, {@link ConnectionBridge#asyncDeclined}) is called on the event loop.
     */
    boolean start(Inbound.Packet command) {
        byte[] payload = command.payload();
        boolean binary = (payload[0] & 0xff) == Protocol.COM_STMT_EXECUTE;
        CompletableFuture<QueryResult> running;
        try {
            PayloadReader r = new PayloadReader(payload, 1);
            running = binary ? statements.start(r) : handler.start(r.restQuery(), null);
        } catch (RuntimeException e) {
            // Malformed and the like: the session thread runs it again and answers as it always does.
            return false;
        }
        if (running == null) {
            return false;
        }
        running.whenComplete((result, error) -> {
            if (loop.inEventLoop()) {
                finish(command, binary, result, error);
            } else {
                loop.execute(() -> finish(command, binary, result, error));
            }
        });
        return true;
    }

    private void finish(Inbound.Packet command, boolean binary, QueryResult result, Throwable error) {
        if (error == null && result == null) {
            metrics.eventLoopCommand(false);
            bridge.asyncDeclined(command);
            return;
        }
        metrics.eventLoopCommand(true);
        statistics.question();
        packets.respondTo(command);
        try {
            int status = StatusFlags.of(handler, false);
            if (error != null) {
                respondWithError(error);
            } else if (binary) {
                statements.writeResult(command.payload(), result, status);
            } else {
                writer.textResult(result, status);
            }
        } catch (ConnectionClosedException e) {
            log.debug("connection closed while answering");
        } catch (RuntimeException | StackOverflowError e) {
            // Encoding the result failed: whatever part of it was written cannot be taken back, so the ERR
            // packet follows it, as it would on the session thread.
            try {
                respondWithError(e);
            } catch (RuntimeException closed) {
                log.debug("could not answer: {}", closed.toString());
            }
        }
        bridge.asyncEnded(packets.takePending());
    }

    private void respondWithError(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof TesseraException) {
            log.debug("statement failed: {}", e.toString());
        } else {
            log.warn("statement failed with an unexpected error", e);
        }
        writer.error(MysqlError.of(e));
    }
}
