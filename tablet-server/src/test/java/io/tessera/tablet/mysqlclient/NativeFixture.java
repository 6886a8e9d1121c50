package io.tessera.tablet.mysqlclient;

import io.netty.channel.EventLoop;
import io.tessera.common.net.EventLoops;
import io.tessera.tablet.mysqlctl.DbConnector;
import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.DbUser;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.tablet.mysqlctl.MysqlEndpoint;
import io.tessera.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A real MariaDB (managed by mysqlctl, app user over the unix socket with a password, as the tablet has it), one
 * event loop, and a native connector to the app user: what the native client tests run against. Closing stops
 * everything it started.
 */
public final class NativeFixture implements AutoCloseable {
    public static final String DATABASE = "vt_commerce";
    /** A user that exists for TCP connections from 127.0.0.1, made by the fixture. */
    public static final DbUser TCP_USER = new DbUser("tcp_app", "tcp-pw");
    private static final long WAIT_SECONDS = 30;

    public final ManagedMysqld mysqld;
    public final EventLoops loops;
    public final EventLoop loop;
    public final NativeConnector connector;

    public NativeFixture(Path root) {
        ManagedMysqldConfig cfg = ManagedMysqldConfig.builder(100, root).port(FreePorts.next()).keyspace("commerce")
                .credentials(DbCredentials.withPassword("pw")).startReadOnly(false).build();
        ManagedMysqld started = ManagedMysqld.startNew(cfg);
        try {
            dba(started, "CREATE USER '" + TCP_USER.user() + "'@'127.0.0.1' IDENTIFIED BY '" + TCP_USER.password()
                    + "'", "GRANT ALL ON " + DATABASE + ".* TO '" + TCP_USER.user() + "'@'127.0.0.1'");
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        this.mysqld = started;
        this.loops = EventLoops.start(1, "test");
        this.loop = loops.loops().get(0);
        this.connector = new NativeConnector(mysqld.app(), loops);
    }

    /** The app user's connector: unix socket, password, default database. */
    public DbConnector app() {
        return mysqld.app();
    }

    /** A connector for {@link #TCP_USER} over TCP only. */
    public DbConnector tcp() {
        MysqlEndpoint endpoint = MysqlEndpoint.tcp("127.0.0.1", mysqld.config().port());
        return new DbConnector(endpoint, TCP_USER, Optional.of(DATABASE), DbConnector.DEFAULT_CONNECT_TIMEOUT);
    }

    /** A native connection of the app user. */
    public NativeConnection connect() {
        return await(connector.connect(loop));
    }

    /** Runs {@code sql} on {@code c} from the loop and waits for its result. */
    public NativeResult query(NativeConnection c, String sql) {
        return await(onLoop(() -> c.query(sql)));
    }

    /** Calls {@code call} on the loop and returns the future it made. */
    public <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> call) {
        try {
            return loop.submit(call::get).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code f}; a failure is thrown as it is (not wrapped). */
    public static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /** Runs statements as the dba user in {@link #DATABASE}. */
    public void dba(String... statements) {
        dba(mysqld, statements);
    }

    private static void dba(ManagedMysqld mysqld, String... statements) {
        try (Connection c = mysqld.dba().withDatabase(DATABASE).connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first row of {@code sql} run through JDBC on a new connection of {@code connector}, as strings. */
    public static List<String> jdbcRow(DbConnector connector, String sql) {
        try (Connection c = connector.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            if (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getString(i));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The values of a text-protocol row payload as UTF-8 strings, null for NULL. */
    public static List<String> values(byte[] row) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < row.length) {
            int first = row[pos] & 0xff;
            if (first == 0xfb) {
                out.add(null);
                pos++;
                continue;
            }
            long length;
            int size;
            switch (first) {
                case 0xfc -> { length = le(row, pos + 1, 2); size = 3; }
                case 0xfd -> { length = le(row, pos + 1, 3); size = 4; }
                case 0xfe -> { length = le(row, pos + 1, 8); size = 9; }
                default -> { length = first; size = 1; }
            }
            pos += size;
            out.add(new String(row, pos, (int) length, StandardCharsets.UTF_8));
            pos += (int) length;
        }
        return out;
    }

    private static long le(byte[] b, int from, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[from + i] & 0xff);
        }
        return v;
    }

    @Override
    public void close() {
        loops.close();
        mysqld.close();
    }
}
