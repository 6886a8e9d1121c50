package io.tessera.gate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.mysql.AuthenticatedUser;
import io.tessera.testing.TempDirs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StaticAuthServerTest {
    private static final byte[] SALT = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);
    private static final String USERS = """
            {
              "app": [{"Password": "secret", "UserData": "app-data", "Groups": ["g1", "g2"]}],
              "hashed": [{"MysqlNativePassword": "%s"}],
              "rotating": [{"Password": "old"}, {"Password": "new", "UserData": "second"}],
              "mixed": [{"Password": "plain"}, {"MysqlNativePassword": "%s"}],
              "nopw": [{"Password": ""}],
              "local": [{"Password": "lpw", "SourceHost": "localhost"}],
              "remote": [{"Password": "rpw", "SourceHost": "10.9.9.9"}],
              "single": {"Password": "one"}
            }
            """.formatted(PasswordHashes.nativeHashText("hashpw"), PasswordHashes.nativeHashText("hashed2"));

    private PrometheusRegistry registry;
    private StaticAuthServer auth;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        registry = new PrometheusRegistry();
        auth = StaticAuthServer.fromJson(USERS, registry);
        dir = Files.createTempDirectory("auth-test");
    }

    @AfterEach
    void tearDown() {
        auth.close();
        TempDirs.deleteRecursively(dir);
    }

    private static Credential nativeFor(String pw) {
        return new Credential.NativeScramble(SALT, PasswordHashes.nativeScramble(pw.getBytes(), SALT));
    }

    private static Credential sha2For(String pw) {
        return new Credential.Sha2Scramble(SALT, PasswordHashes.sha2Scramble(pw.getBytes(), SALT));
    }

    private AuthenticatedUser accepted(String user, Credential c) {
        Verification v = auth.verify(user, LOCAL, c);
        assertThat(v).isInstanceOf(Verification.Accepted.class);
        return ((Verification.Accepted) v).user();
    }

    private void denied(String user, Credential c, String reason, String usingPassword) {
        double before = failures(reason);
        assertThatThrownBy(() -> auth.verify(user, LOCAL, c))
                .isInstanceOfSatisfying(TesseraException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ACCESS_DENIED);
                    assertThat(e.mysqlErrno()).isEqualTo(1045);
                    assertThat(e.getMessage()).isEqualTo("Access denied for user '" + user + "'@'"
                            + LOCAL.getAddress().getHostAddress() + "' (using password: " + usingPassword + ")");
                });
        assertThat(failures(reason)).isEqualTo(before + 1);
    }

    private double failures(String reason) {
        return counter("tessera_gate_auth_failures", "reason", reason);
    }

    private double counter(String name, String label, String value) {
        for (MetricSnapshot s : registry.scrape()) {
            if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals(name)) {
                for (CounterSnapshot.CounterDataPointSnapshot d : c.getDataPoints()) {
                    if (value.equals(d.getLabels().get(label))) {
                        return d.getValue();
                    }
                }
            }
        }
        return 0;
    }

    @Test
    void nativeScrambleWithPlaintextOrHashedEntries() {
        AuthenticatedUser u = accepted("app", nativeFor("secret"));
        assertThat(u.user()).isEqualTo("app");
        assertThat(u.userData()).isEqualTo("app-data");
        assertThat(u.groups()).containsExactly("g1", "g2");
        assertThat(u.remote()).isEqualTo(LOCAL);
        assertThat(accepted("hashed", nativeFor("hashpw")).userData()).isEqualTo("hashed");
        denied("app", nativeFor("wrong"), "wrong_password", "YES");
        denied("hashed", nativeFor("wrong"), "wrong_password", "YES");
        denied("app", new Credential.NativeScramble(SALT, new byte[0]), "wrong_password", "NO");
        denied("ghost", nativeFor("x"), "unknown_user", "YES");
    }

    @Test
    void sha2ScrambleIsCheckedAgainstPlaintextAndUnverifiableAgainstHashes() {
        assertThat(accepted("app", sha2For("secret")).userData()).isEqualTo("app-data");
        denied("app", sha2For("wrong"), "wrong_password", "YES");
        assertThat(auth.verify("hashed", LOCAL, sha2For("hashpw"))).isInstanceOf(Verification.Unverifiable.class);
        // A plaintext entry that does not match, next to a hashed one: the hash may still match another way.
        assertThat(auth.verify("mixed", LOCAL, sha2For("hashed2"))).isInstanceOf(Verification.Unverifiable.class);
        assertThat(accepted("mixed", sha2For("plain")).user()).isEqualTo("mixed");
        // Unknown users look like hashed ones, so the exchange does not reveal which users exist.
        assertThat(auth.verify("ghost", LOCAL, sha2For("x"))).isInstanceOf(Verification.Unverifiable.class);
        assertThat(failures("unknown_user")).isZero();
    }

    @Test
    void cleartextIsComparedToPasswordsAndHashes() {
        accepted("app", new Credential.Cleartext("secret".getBytes()));
        accepted("hashed", new Credential.Cleartext("hashpw".getBytes()));
        denied("hashed", new Credential.Cleartext("nope".getBytes()), "wrong_password", "YES");
    }

    @Test
    void anyEntryOfARotatingUserMatches() {
        assertThat(accepted("rotating", nativeFor("old")).userData()).isEqualTo("rotating");
        assertThat(accepted("rotating", nativeFor("new")).userData()).isEqualTo("second");
        assertThat(accepted("rotating", sha2For("new")).userData()).isEqualTo("second");
        assertThat(accepted("single", nativeFor("one")).user()).isEqualTo("single");
    }

    @Test
    void anEmptyPasswordMeansNoPassword() {
        accepted("nopw", new Credential.NativeScramble(SALT, new byte[0]));
        accepted("nopw", new Credential.Sha2Scramble(SALT, new byte[] {0}));
        accepted("nopw", new Credential.Cleartext(new byte[0]));
        denied("nopw", nativeFor("something"), "wrong_password", "YES");
    }

    @Test
    void sourceHostLimitsWhereAUserMayConnectFrom() {
        accepted("local", nativeFor("lpw"));
        denied("remote", nativeFor("rpw"), "source_host", "YES");
        InetSocketAddress fromRemote = new InetSocketAddress("10.9.9.9", 4000);
        assertThat(auth.verify("remote", fromRemote, nativeFor("rpw"))).isInstanceOf(Verification.Accepted.class);
        assertThatThrownBy(() -> auth.verify("local", fromRemote, nativeFor("lpw")))
                .isInstanceOf(TesseraException.class);
    }

    @Test
    void brokenFilesAreRejectedWithTheProblem() {
        assertThatThrownBy(() -> StaticAuthServer.fromJson("{\"u\": [ {\"Password\": }]}", new PrometheusRegistry()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid JSON")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> StaticAuthServer.fromJson("[]", new PrometheusRegistry()))
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> StaticAuthServer.fromJson("{\"u\": [{\"Pasword\": \"x\"}]}",
                new PrometheusRegistry())).hasMessageContaining("unknown key 'Pasword'");
        assertThatThrownBy(() -> StaticAuthServer.fromJson("{\"u\": [{\"MysqlNativePassword\": \"abc\"}]}",
                new PrometheusRegistry())).hasMessageContaining("MysqlNativePassword");
        assertThatThrownBy(() -> StaticAuthServer.fromJson("{\"u\": [{\"SourceHost\": \"example.com\"}]}",
                new PrometheusRegistry())).hasMessageContaining("SourceHost");
        assertThatThrownBy(() -> StaticAuthServer.fromJson("{\"u\": [{\"Groups\": \"g\"}]}",
                new PrometheusRegistry())).hasMessageContaining("Groups");
        assertThatThrownBy(() -> StaticAuthServer.fromJson("{\"u\": [], \"u\": []}", new PrometheusRegistry()))
                .hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> StaticAuthServer.fromJson("{\"u\": []}", new PrometheusRegistry()))
                .hasMessageContaining("no entries");
    }

    @Test
    void aBrokenFileAtStartIsAnError() throws Exception {
        Path file = dir.resolve("users.json");
        Files.writeString(file, "{\"u\": [");
        assertThatThrownBy(() -> StaticAuthServer.fromFile(file, Duration.ZERO, new PrometheusRegistry()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> StaticAuthServer.fromFile(dir.resolve("missing.json"), Duration.ZERO,
                new PrometheusRegistry())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read");
    }

    @Test
    void theFileIsReloadedWhenItChangesAndABrokenVersionKeepsTheUsers() throws Exception {
        Path file = dir.resolve("users.json");
        Files.writeString(file, "{\"u\": [{\"Password\": \"one\"}]}");
        PrometheusRegistry reg = new PrometheusRegistry();
        try (StaticAuthServer fileAuth = StaticAuthServer.fromFile(file, Duration.ofMillis(20), reg)) {
            assertThat(fileAuth.verify("u", LOCAL, nativeFor("one"))).isInstanceOf(Verification.Accepted.class);
            Files.writeString(file, "{\"u\": [{\"Password\": \"one\"}, {\"Password\": \"two\"}]}");
            await().atMost(Duration.ofSeconds(30)).until(() -> accepts(fileAuth, "two"));
            assertThat(accepts(fileAuth, "one")).isTrue();
            Files.writeString(file, "{\"u\": [{\"Password\": \"two\"}]}");
            await().atMost(Duration.ofSeconds(30)).until(() -> !accepts(fileAuth, "one"));
            registry = reg;
            double errors = counter("tessera_gate_auth_reloads", "result", "error");
            Files.writeString(file, "{\"u\": [{\"Password\": ");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> counter("tessera_gate_auth_reloads", "result", "error") > errors);
            assertThat(accepts(fileAuth, "two")).isTrue();
            assertThat(counter("tessera_gate_auth_reloads", "result", "ok")).isEqualTo(2);
        }
        // Closing unregisters the metrics, so a new server can use the same registry.
        StaticAuthServer.fromJson("{}", reg).close();
    }

    private static boolean accepts(StaticAuthServer a, String pw) {
        try {
            return a.verify("u", LOCAL, nativeFor(pw)) instanceof Verification.Accepted;
        } catch (TesseraException e) {
            return false;
        }
    }
}
