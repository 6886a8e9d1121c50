package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.gate.auth.StaticAuthServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mariadb command-line client against the gate. deploy/test.sh installs it, so a missing binary fails the
 * test rather than skipping it.
 */
class MysqlCliTest {
    private TestServer server;

    @BeforeEach
    void start() {
        PrometheusRegistry registry = new PrometheusRegistry();
        server = new TestServer(TestServer.config(), StaticAuthServer.fromJson(MysqlServerAuthTest.users(), registry),
                registry);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    record Result(int exit, String out, String err) {}

    private static Path client() {
        for (String p : List.of("/usr/bin/mariadb", "/usr/bin/mysql")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        throw new AssertionError("neither /usr/bin/mariadb nor /usr/bin/mysql is installed; install the "
                + "mariadb-client package (deploy/test.sh does) to run this test");
    }

    private Result run(String user, String password, String sql) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(client().toString(), "--no-defaults", "--protocol=TCP",
                "-h", "127.0.0.1", "-P", Integer.toString(server.port()), "-u", user, "-D", "ks"));
        if (!password.isEmpty()) {
            cmd.add("-p" + password);
        }
        cmd.add("-e");
        cmd.add(sql);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the mariadb client did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void queriesPrintTheirRows() throws Exception {
        Result r = run("app", "secret", "select 2");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                n\tname\tratio\tcreated
                1\tname-1\t1.50\t2024-01-02 10:00:00
                2\tname-2\t2.50\t2024-01-03 10:00:00
                """);
        assertThat(server.handlers.statements).contains("select 2");
    }

    @Test
    void severalStatementsAndAnErrorAfterThem() throws Exception {
        Result r = run("app", "secret", "select 1; insert into t values (1); select error");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("n\tname\tratio\tcreated\n1\tname-1\t1.50\t2024-01-02 10:00:00\n");
        assertThat(r.err()).contains("ERROR 1064 (42000)").contains("You have an error in your SQL syntax");
    }

    @Test
    void aWrongPasswordIsDenied() throws Exception {
        Result r = run("app", "nope", "select 1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("ERROR 1045 (28000)").contains("Access denied for user 'app'@'127.0.0.1'");
    }

    @Test
    void aUserWithOnlyAHashedPassword() throws Exception {
        Result r = run("hashed", "hashpw", "select 1");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("name-1");
    }
}
