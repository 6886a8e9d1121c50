package io.tessera.examples.guestbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tessera.client.GateClient;
import io.tessera.client.GateException;
import io.tessera.gate.grpc.VitessGrpcService;
import io.tessera.proto.vtrpc.Code;
import io.tessera.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guestbook against the real Vitess service, with a one-table store behind it that knows its statements. */
class GuestbookTest {
    private final MessagesTableExecutor store = new MessagesTableExecutor("commerce");
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private Server server;
    private ManagedChannel channel;
    private GateClient client;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(new VitessGrpcService(store, threads)).build()
                .start();
        channel = InProcessChannelBuilder.forName(name).build();
        client = new GateClient(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        threads.shutdownNow();
    }

    @Test
    void postsAreReadBackInOrderPerPage() {
        Guestbook guestbook = new Guestbook(client, "commerce");
        guestbook.createSchema();
        guestbook.post("main", "first");
        guestbook.post("other", "elsewhere");
        guestbook.post("main", "second, with 'quotes' and ünïcode");
        guestbook.post("main", "third");

        assertThat(guestbook.read("main")).containsExactly("first", "second, with 'quotes' and ünïcode", "third");
        assertThat(guestbook.readFromPrimary("main")).containsExactly("first", "second, with 'quotes' and ünïcode",
                "third");
        assertThat(guestbook.read("other")).containsExactly("elsewhere");
        assertThat(guestbook.read("empty")).isEmpty();
    }

    @Test
    void writesGoInATransactionToThePrimaryAndReadsToTheAskedType() {
        Guestbook guestbook = new Guestbook(client, "commerce");
        guestbook.createSchema();
        guestbook.post("main", "hello");
        guestbook.read("main");
        guestbook.readFromPrimary("main");

        assertThat(store.statements).extracting(MessagesTableExecutor.Statement::target, s -> s.sql())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("commerce@primary", Guestbook.CREATE_TABLE),
                        org.assertj.core.groups.Tuple.tuple("commerce@primary", "begin"),
                        org.assertj.core.groups.Tuple.tuple("commerce@primary", Guestbook.INSERT),
                        org.assertj.core.groups.Tuple.tuple("commerce@primary", "commit"),
                        org.assertj.core.groups.Tuple.tuple("commerce@replica", Guestbook.SELECT),
                        org.assertj.core.groups.Tuple.tuple("commerce@primary", Guestbook.SELECT));
    }

    @Test
    void manyQuickPostsKeepTheirOrderAndNeverCollide() {
        Guestbook guestbook = new Guestbook(client, "commerce");
        guestbook.createSchema();
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            posted.add("message " + i);
            guestbook.post("busy", "message " + i);
        }
        assertThat(guestbook.read("busy")).containsExactlyElementsOf(posted);
    }

    @Test
    void aFailedPostIsRolledBackAndReported() {
        Guestbook guestbook = new Guestbook(client, "commerce");
        assertThatThrownBy(() -> guestbook.post("main", "too early")).isInstanceOfSatisfying(GateException.class,
                e -> {
                    assertThat(e.mysqlErrno()).isEqualTo(1146);
                    assertThat(e.sqlState()).isEqualTo("42S02");
                    assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
                });
        assertThat(store.statements.getLast().sql()).isEqualTo("rollback");
        assertThat(store.pendingRows()).isZero();

        guestbook.createSchema();
        assertThat(guestbook.read("main")).isEmpty();
    }

    @Test
    void refusesOversizedInputAndBadKeyspaceNames() {
        Guestbook guestbook = new Guestbook(client, "commerce");
        assertThatThrownBy(() -> guestbook.post("p".repeat(65), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guestbook.post("p", "x".repeat(1025))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Guestbook(client, "commerce@replica"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.statements).isEmpty();
    }

    @Test
    void theCommandLinePostsAndPrintsOverTcp() throws Exception {
        Server tcp = Grpc.newServerBuilderForPort(FreePorts.next(), InsecureServerCredentials.create())
                .executor(threads).addService(new VitessGrpcService(store, threads)).build().start();
        try {
            String server = "127.0.0.1:" + tcp.getPort();
            Output first = run("--server", server, "--keyspace", "commerce", "--page", "cli", "--message", "one",
                    "--message=two", "--read-from", "primary");
            assertThat(first.code()).isZero();
            assertThat(first.out()).isEqualTo("one\ntwo\n");

            Output second = run("--server=" + server, "--keyspace=commerce", "--page=cli");
            assertThat(second.code()).isZero();
            assertThat(second.out()).isEqualTo("one\ntwo\n");

            Output refused = run("--server", server, "--keyspace", "nowhere");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("Unknown database 'nowhere'").contains("MySQL error 1049");
        } finally {
            tcp.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theCommandLineExplainsUsageErrors() {
        assertThat(run("--keyspace").code()).isEqualTo(2);
        Output noKeyspace = run("--server", "localhost:15991");
        assertThat(noKeyspace.code()).isEqualTo(2);
        assertThat(noKeyspace.err()).contains("--keyspace is required").contains("Usage: guestbook");
        assertThat(run("--server", "nohost", "--keyspace", "ks").err()).contains("host:port");
        assertThat(run("--keyspace", "ks", "--read-from", "rdonly").err()).contains("replica or primary");
        assertThat(run("--keyspace", "ks", "--colour", "red").err()).contains("unknown flag --colour");
        Output help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: guestbook");
    }

    private record Output(int code, String out, String err) {}

    private static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Guestbook.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
