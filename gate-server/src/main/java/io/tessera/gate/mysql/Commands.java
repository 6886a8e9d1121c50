package io.tessera.gate.mysql;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the commands of one authenticated connection, one at a time, on its session thread. A failure of the
 * handler becomes an ERR packet and the connection goes on; protocol errors ({@link MalformedPacketException} and
 * the like) propagate so that the session closes the connection.
 */
final class Commands {
    private static final Logger log = LoggerFactory.getLogger(Commands.class);

    /** What the session does after a command. */
    enum Next { CONTINUE, CLOSE }

    private final ConnectionHandler handler;
    private final PacketChannel channel;
    private final ResultWriter writer;
    private final StatementCommands statements;
    private final AuthExchange exchange;
    private final Handshake.Login login;
    private final Duration authTimeout;
    private final ServerStatistics statistics;
    private boolean multiStatements;

    Commands(ConnectionHandler handler, PacketChannel channel, ResultWriter writer, StatementCommands statements,
            AuthExchange exchange, Handshake.Login login, Duration authTimeout, ServerStatistics statistics) {
        this.handler = handler;
        this.channel = channel;
        this.writer = writer;
        this.statements = statements;
        this.exchange = exchange;
        this.login = login;
        this.authTimeout = authTimeout;
        this.statistics = statistics;
        this.multiStatements = (login.capabilities() & Protocol.CLIENT_MULTI_STATEMENTS) != 0;
    }

    /** Whether COM_QUERY may carry several statements, as the handshake or the last COM_SET_OPTION said. */
    boolean multiStatements() {
        return multiStatements;
    }

    /** Runs one command and flushes its response. */
    Next process(byte[] payload) {
        if (payload.length == 0) {
            throw new MalformedPacketException("empty command packet");
        }
        statistics.question();
        int command = payload[0] & 0xff;
        PayloadReader r = new PayloadReader(payload, 1);
        Next next = Next.CONTINUE;
        try {
            next = dispatch(command, r);
        } catch (MalformedPacketException | PacketTooLargeException | ConnectionClosedException
                | HandshakeTimeoutException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            report(command, e);
            writer.error(MysqlError.of(e));
        }
        channel.flush();
        return next;
    }

    private Next dispatch(int command, PayloadReader r) {
        switch (command) {
            case Protocol.COM_QUIT -> {
                return Next.CLOSE;
            }
            case Protocol.COM_QUERY -> query(r.restQuery());
            case Protocol.COM_INIT_DB -> {
                handler.useDatabase(r.restString());
                writer.ok(status());
            }
            case Protocol.COM_PING -> writer.ok(status());
            case Protocol.COM_FIELD_LIST -> fieldList(r);
            case Protocol.COM_STATISTICS -> writer.text(statistics.text());
            case Protocol.COM_CHANGE_USER -> {
                return changeUser(r);
            }
            case Protocol.COM_RESET_CONNECTION -> {
                handler.reset();
                statements.clear();
                writer.ok(status());
            }
            case Protocol.COM_SET_OPTION -> setOption(r.int2());
            case Protocol.COM_STMT_PREPARE -> statements.prepare(r);
            case Protocol.COM_STMT_EXECUTE -> statements.execute(r);
            case Protocol.COM_STMT_SEND_LONG_DATA -> statements.sendLongData(r);
            case Protocol.COM_STMT_CLOSE -> statements.close(r);
            case Protocol.COM_STMT_RESET -> statements.reset(r);
            case Protocol.COM_STMT_FETCH -> statements.fetch(r);
            default -> writer.error(MysqlError.of(ErrorKind.UNKNOWN_COMMAND, command));
        }
        return Next.CONTINUE;
    }

    /**
     * COM_QUERY. Each result is written only when the next one arrives or the call ends, so the protocol layer
     * itself knows whether SERVER_MORE_RESULTS_EXISTS belongs on it, in particular when an error follows.
     */
    private void query(String sql) {
        QueryResult[] pending = new QueryResult[1];
        try {
            handler.query(sql, (result, more) -> {
                if (pending[0] != null) {
                    writer.textResult(pending[0], status(true));
                }
                pending[0] = result;
            });
        } catch (RuntimeException | StackOverflowError e) {
            if (pending[0] != null) {
                writer.textResult(pending[0], status(true));
            }
            throw e;
        }
        if (pending[0] != null) {
            writer.textResult(pending[0], status(false));
        } else {
            writer.ok(status());
        }
    }

    private void fieldList(PayloadReader r) {
        String table = r.nulOrEndString();
        String wildcard = r.restString();
        List<Field> fields = handler.fieldList(table, wildcard);
        for (Field f : fields) {
            writer.columnDefinition(f, true);
        }
        writer.endOfRows(status(), 0);
    }

    private void setOption(int option) {
        switch (option) {
            case Protocol.MYSQL_OPTION_MULTI_STATEMENTS_ON -> multiStatements = true;
            case Protocol.MYSQL_OPTION_MULTI_STATEMENTS_OFF -> multiStatements = false;
            default -> throw TesseraException.of(ErrorKind.WRONG_ARGUMENTS, "COM_SET_OPTION");
        }
        writer.endOfRows(status(), 0);
    }

    /**
     * COM_CHANGE_USER: authenticates the new user against the handshake's salt (switching plugins as at login),
     * then resets the session. A failed authentication closes the connection rather than leave it logged in as
     * the previous user.
     */
    private Next changeUser(PayloadReader r) {
        ChangeUserRequest request = ChangeUserRequest.parse(r, login.capabilities());
        AuthenticatedUser user;
        try {
            user = exchange.authenticate(request.user(), request.authPlugin(), request.authResponse(), login.salt(),
                    login.secure(), System.nanoTime() + authTimeout.toNanos());
        } catch (TesseraException e) {
            writer.error(MysqlError.of(e));
            return Next.CLOSE;
        }
        handler.changeUser(user, request.database());
        statements.clear();
        writer.ok(status());
        return Next.CONTINUE;
    }

    private int status() {
        return StatusFlags.of(handler, false);
    }

    private int status(boolean more) {
        return StatusFlags.of(handler, more);
    }

    private static void report(int command, Throwable e) {
        if (e instanceof TesseraException) {
            log.debug("command {} failed: {}", command, e.toString());
        } else {
            log.warn("command {} failed with an unexpected error", command, e);
        }
    }
}
