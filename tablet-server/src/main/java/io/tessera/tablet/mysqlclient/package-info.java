/**
 * A non-blocking MySQL client on Netty, for the tablet's hot path: a statement outside any transaction runs on the
 * gRPC server's event loop, over a connection registered on that same loop, so no other thread is woken.
 *
 * <p>{@link io.tessera.tablet.mysqlclient.NativeConnector} opens
 * {@link io.tessera.tablet.mysqlclient.NativeConnection}s to the mysqld of a {@link io.tessera.tablet.mysqlctl.DbConnector}; a connection runs one COM_QUERY at a time and
 * returns a {@link io.tessera.tablet.mysqlclient.NativeResult} whose column definitions and row payloads are the
 * bytes MySQL sent, exactly what the JDBC path reads from MariaDB Connector/J's internals, so the query service can
 * turn either into the same fields and rows.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>The session matches a Connector/J session of the same connector (capabilities, handshake collation, the
 *       statement it runs after login): see {@code SessionSetup}. Multi-statements, SSL, compression, session
 *       tracking and local infile are never asked for.</li>
 *   <li>Only mysql_native_password is spoken, which is what the tablet's users have; another plugin in an auth
 *       switch fails the login with a message naming it.</li>
 *   <li>A result is read whole into memory (rows copied out of the pooled buffers as they arrive); this client is
 *       for the hot path's short statements, the JDBC path streams large ones.</li>
 *   <li>Pipeline: {@code PacketDecoder} (frames, joins 16 MiB continuations, checks sequence ids, counts bytes so a
 *       failure can tell whether the response had started), {@code PacketEncoder}, then {@code LoginHandler} until
 *       the session is set up, then the connection's own handler feeding a {@code ResultReader}.</li>
 * </ul>
 */
package io.tessera.tablet.mysqlclient;
