package io.tessera.gate.executor;

import io.tessera.gate.discovery.TabletGateway;
import io.tessera.gate.mysql.ClientConnection;
import io.tessera.gate.mysql.ConnectionHandler;
import io.tessera.gate.mysql.ConnectionHandlerFactory;
import java.util.Objects;

/**
 * The sessions of MySQL protocol clients: one {@link ConnectionHandler} per connection, holding the connection's
 * {@link io.tessera.proto.vtgate.Session} and running its commands through an {@link Executor}. Multi-statement
 * COM_QUERY text is split by the gate's lexer; prepared statements are described by running them with neutral
 * values and no rows, and executed with their {@code ?} parameters turned into bind variables.
 *
 * <p>Wiring: {@code new MysqlSessions(executor, gateway)} is the factory the MySQL protocol server calls after a
 * client authenticated.
 */
public final class MysqlSessions implements ConnectionHandlerFactory {
    private final Executor executor;
    private final TabletGateway gateway;
    private final LiveSessions live = new LiveSessions();

    /** Sessions that run statements with {@code executor} and check databases against {@code gateway}. */
    public MysqlSessions(Executor executor, TabletGateway gateway) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    /**
     * The session of {@code client}, whose default target is the database it named in the handshake. Without a way
     * to close its connection, it cannot be ended by {@code KILL} (which then reports it unknown).
     *
     * @throws io.tessera.common.errors.TesseraException UNKNOWN_DATABASE (1049) if that database is not a known
     *     keyspace or not a valid target
     */
    @Override
    public ConnectionHandler open(ClientConnection client) {
        return open(client, null);
    }

    /**
     * As {@link #open(ClientConnection)}; the session can be ended with {@code KILL <connection id>} by a session of
     * the same user (the protocol layer passes how to close the connection).
     */
    @Override
    public ConnectionHandler open(ClientConnection client, Runnable disconnect) {
        Objects.requireNonNull(client, "client");
        String target = client.database().isEmpty() ? ""
                : TargetResolver.choose(gateway, client.database(), TargetString.NONE).format();
        return new MysqlSession(executor, gateway, client, target, live, disconnect);
    }
}
