package io.tessera.gate.mysql;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tessera.gate.auth.AuthServer;
import io.tessera.gate.auth.NoneAuthServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A MySQL server on a free loopback port with a scripted handler factory, for tests. */
final class TestServer implements AutoCloseable {
    final PrometheusRegistry registry;
    final ScriptedHandlerFactory handlers = new ScriptedHandlerFactory();
    final MysqlServer server;
    final AuthServer auth;

    TestServer(MysqlServerConfig config, AuthServer auth, PrometheusRegistry registry) {
        this.registry = registry;
        this.auth = auth;
        this.server = new MysqlServer(config, auth, handlers, registry);
        server.start();
    }

    static TestServer start() {
        return new TestServer(config(), new NoneAuthServer(), new PrometheusRegistry());
    }

    static TestServer start(MysqlServerConfig config) {
        return new TestServer(config, new NoneAuthServer(), new PrometheusRegistry());
    }

    /** Defaults on 127.0.0.1 with a port picked by the system. */
    static MysqlServerConfig config() {
        return MysqlServerConfig.defaults().withBindAddress("127.0.0.1", 0);
    }

    int port() {
        return server.port();
    }

    String mariadbUrl(String database, String options) {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + database + "?" + options;
    }

    String mysqlUrl(String database, String options) {
        return "jdbc:mysql://127.0.0.1:" + port() + "/" + database + "?" + options;
    }

    Connection mariadb(String options) throws SQLException {
        return DriverManager.getConnection(mariadbUrl("ks", "user=app&password=secret&" + options));
    }

    Connection mysql(String options) throws SQLException {
        return DriverManager.getConnection(mysqlUrl("ks", "user=app&password=secret&sslMode=DISABLED&" + options));
    }

    /** The value of counter {@code name} (without _total) with {@code label=value}, 0 if never counted. */
    double counter(String name, String label, String value) {
        for (MetricSnapshot s : registry.scrape()) {
            if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals(name)) {
                for (CounterSnapshot.CounterDataPointSnapshot d : c.getDataPoints()) {
                    Labels l = d.getLabels();
                    if (label == null || value.equals(l.get(label))) {
                        return d.getValue();
                    }
                }
            }
        }
        return 0;
    }

    double gauge(String name) {
        for (MetricSnapshot s : registry.scrape()) {
            if (s instanceof GaugeSnapshot g && g.getMetadata().getName().equals(name)) {
                return g.getDataPoints().get(0).getValue();
            }
        }
        throw new AssertionError("no gauge " + name);
    }

    @Override
    public void close() {
        server.close();
        auth.close();
    }
}
