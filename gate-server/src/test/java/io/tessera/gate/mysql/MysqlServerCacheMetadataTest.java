package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's MARIADB_CLIENT_CACHE_METADATA, as MariaDB clients (MariaDB Connector/J with server-side prepares;
 * libmariadb, so sysbench and the mariadb CLI, when the announced version names MariaDB) ask for it: a "metadata
 * follows" byte after every column count, and a prepared statement's result without the column definitions the
 * client already has for it. Clients that do not ask (MySQL clients set CLIENT_LONG_PASSWORD) get plain results.
 */
class MysqlServerCacheMetadataTest {
    private static TestServer server;

    /** One result set as read: the column count, whether definitions followed, the definitions and the rows. */
    private record Result(int columns, boolean definitionsFollowed, List<byte[]> definitions, List<byte[]> rows) {}

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theGreetingOffersItTheWayMariadbDoes() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.greeting();
            assertThat(c.serverCapabilities & Protocol.CLIENT_LONG_PASSWORD).as("CLIENT_MYSQL").isZero();
            assertThat(c.serverExtendedCapabilities).isEqualTo(Protocol.MARIADB_CLIENT_CACHE_METADATA);
        }
    }

    @Test
    void repeatedResultsOfAPreparedStatementLeaveOutTheDefinitionsTheClientHas() throws Exception {
        double sessions = cacheMetadataSessions();
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.loginMariadb("app", Protocol.MARIADB_CLIENT_CACHE_METADATA).isOk()).isTrue();
            assertThat(cacheMetadataSessions()).as("sessions counted").isEqualTo(sessions + 1);
            int same = prepare(c, "select same types where ? = 1");
            Result first = execute(c, same, true);
            Result second = execute(c, same, true);
            Result third = execute(c, same, true);

            // The prepare's definitions were other objects than the results': the first execute sends them.
            assertThat(first.definitionsFollowed()).isTrue();
            assertThat(first.definitions()).hasSize(first.columns());
            assertThat(second.definitionsFollowed()).isFalse();
            assertThat(second.definitions()).isEmpty();
            assertThat(third.definitionsFollowed()).isFalse();
            assertThat(second.columns()).isEqualTo(first.columns());
            assertThat(second.rows()).hasSize(2).usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(first.rows());

            // Definitions made afresh for every result are always sent: the gate never assumes equal means known.
            int fresh = prepare(c, "select types where ? = 1");
            assertThat(execute(c, fresh, true).definitionsFollowed()).isTrue();
            assertThat(execute(c, fresh, true).definitionsFollowed()).isTrue();

            // Text results carry the byte too, always 1.
            c.query("select same types");
            Result text = readResult(c, true);
            assertThat(text.definitionsFollowed()).isTrue();
            assertThat(text.definitions()).hasSize(text.columns());
            assertThat(execute(c, same, true).definitionsFollowed()).isFalse();
        }
    }

    @Test
    void clientsThatDoNotAskGetPlainResults() throws Exception {
        double sessions = cacheMetadataSessions();
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.loginMariadb("app", 0).isOk()).isTrue();
            int id = prepare(c, "select same types where ? = 1");
            for (int i = 0; i < 3; i++) {
                Result r = execute(c, id, false);
                assertThat(r.definitions()).hasSize(r.columns());
            }
        }
        assertThat(cacheMetadataSessions()).as("sessions counted").isEqualTo(sessions);
    }

    @Test
    void aMysqlClientsFillerBytesAreNotReadAsCapabilities() throws Exception {
        double sessions = cacheMetadataSessions();
        try (RawClient c = new RawClient(server.port())) {
            c.greeting();
            // CLIENT_LONG_PASSWORD set: a MySQL client, whatever its reserved bytes hold.
            c.write(1, RawClient.handshakeResponse("app", "ks", RawClient.CLIENT_CAPS,
                    Protocol.MARIADB_CLIENT_CACHE_METADATA));
            assertThat(c.read().isOk()).isTrue();
            int id = prepare(c, "select same types where ? = 1");
            for (int i = 0; i < 3; i++) {
                Result r = execute(c, id, false);
                assertThat(r.definitions()).hasSize(r.columns());
            }
        }
        assertThat(cacheMetadataSessions()).as("sessions counted").isEqualTo(sessions);
    }

    /** {@code tessera_gate_cache_metadata_sessions_total} so far (the tests share one server). */
    private static double cacheMetadataSessions() {
        return server.counter("tessera_gate_cache_metadata_sessions", null, null);
    }

    /** Prepares {@code sql} and reads the whole answer; returns the statement id. */
    private static int prepare(RawClient c, String sql) throws Exception {
        c.command(Protocol.COM_STMT_PREPARE, sql.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RawClient.Packet ok = c.read();
        assertThat(ok.isOk()).as("prepare answer").isTrue();
        PayloadReader r = ok.reader();
        r.int1();
        int id = (int) r.int4();
        int columns = r.int2();
        int parameters = r.int2();
        if (parameters > 0) {
            c.readUntilEnd();
        }
        if (columns > 0) {
            c.readUntilEnd();
        }
        return id;
    }

    /** Executes statement {@code id} with its one INT parameter set to 1 and reads the result. */
    private static Result execute(RawClient c, int id, boolean metadataByte) throws Exception {
        byte[] body = new PacketBuilder().int4(id).int1(0).int4(1).int1(0).int1(1).int2(3).int4(1).toByteArray();
        c.command(Protocol.COM_STMT_EXECUTE, body);
        return readResult(c, metadataByte);
    }

    private static Result readResult(RawClient c, boolean metadataByte) throws Exception {
        RawClient.Packet count = c.read();
        assertThat(count.isErr()).as("error %s", count.isErr() ? count.message() : "").isFalse();
        int columns = count.payload()[0] & 0xff;
        assertThat(count.payload()).as("column count packet").hasSize(metadataByte ? 2 : 1);
        boolean follows = !metadataByte || count.payload()[1] == 1;
        List<byte[]> definitions = new ArrayList<>();
        if (follows) {
            for (int i = 0; i < columns; i++) {
                definitions.add(c.read().payload());
            }
        }
        RawClient.Packet eof = c.read();
        assertThat(eof.first()).as("EOF after the definitions").isEqualTo(0xfe);
        assertThat(eof.payload()).hasSize(5);
        List<byte[]> rows = new ArrayList<>();
        while (true) {
            RawClient.Packet p = c.read();
            if (p.first() == 0xfe && p.payload().length < 9) {
                return new Result(columns, follows, definitions, rows);
            }
            rows.add(p.payload());
        }
    }
}
