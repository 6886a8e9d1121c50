package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Broken and hostile input over raw sockets: each bad connection gets an ERR where one can be sent and is closed,
 * while a connection opened before keeps working, new connections succeed and every handler is closed.
 */
class MysqlServerRobustnessTest {
    private static final int MAX_PACKET = 1 << 20;

    private TestServer server;
    private Connection good;

    @BeforeEach
    void start() throws SQLException {
        server = TestServer.start(TestServer.config().withMaxPacketBytes(MAX_PACKET));
        good = server.mariadb("");
    }

    @AfterEach
    void stop() throws SQLException {
        good.close();
        server.close();
    }

    /** The good connection still works, a new one can be opened, and only the good one's handler is open. */
    private void assertServerStillServes() throws SQLException {
        assertRows(good);
        try (Connection fresh = server.mariadb("")) {
            assertRows(fresh);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.server.connectionCount() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.handlers.opened.stream()
                .filter(h -> h.closes.get() == 0).count() == 1);
        assertThat(server.handlers.opened).allSatisfy(h -> assertThat(h.closes.get()).isLessThanOrEqualTo(1));
    }

    private static void assertRows(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.next()).isTrue();
            assertThat(rs.next()).isFalse();
        }
    }

    private static void assertErrorThenClosed(RawClient c, int errno) throws IOException {
        List<RawClient.Packet> packets = c.readUntilClosed();
        assertThat(packets).hasSize(1);
        assertThat(packets.get(0).isErr()).isTrue();
        assertThat(packets.get(0).errno()).isEqualTo(errno);
    }

    private RawClient loggedIn() throws IOException {
        RawClient c = new RawClient(server.port());
        RawClient.Packet ok = c.login("raw", 0);
        assertThat(ok.isOk()).as("login answer").isTrue();
        return c;
    }

    @Test
    void garbageInsteadOfAHandshakeResponse() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.greeting();
            c.writeRaw(new byte[] {5, 0, 0, 7, 'h', 'e', 'l', 'l', 'o'});
            assertErrorThenClosed(c, 1835);
        }
        try (RawClient c = new RawClient(server.port())) {
            c.greeting();
            c.write(1, "hello".getBytes(StandardCharsets.US_ASCII));
            assertErrorThenClosed(c, 1835);
        }
        assertThat(server.counter("tessera_gate_connections_refused", "reason", "malformed")).isEqualTo(2);
        assertServerStillServes();
    }

    @Test
    void anHttpRequestIsAnOversizedPacket() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.greeting();
            c.writeRaw("GET / HTTP/1.1\r\nHost: gate\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertErrorThenClosed(c, 1153);
        }
        assertServerStillServes();
    }

    @Test
    void aTruncatedHandshakeResponse() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.greeting();
            byte[] full = RawClient.handshakeResponse("raw", "ks", RawClient.CLIENT_CAPS);
            c.write(1, java.util.Arrays.copyOf(full, 36));
            assertErrorThenClosed(c, 1835);
        }
        assertServerStillServes();
    }

    @Test
    void aPacketCutShortByTheClient() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.greeting();
            c.writeRaw(RawClient.concat(new byte[] {100, 0, 0, 1}, new byte[10]));
            c.shutdownOutput();
            c.readUntilClosed();
        }
        try (RawClient c = loggedIn()) {
            c.writeRaw(RawClient.concat(new byte[] {100, 0, 0, 0, Protocol.COM_QUERY}, new byte[10]));
            c.shutdownOutput();
            c.readUntilClosed();
        }
        assertServerStillServes();
    }

    @Test
    void aWrongSequenceId() throws Exception {
        try (RawClient c = loggedIn()) {
            c.write(3, new byte[] {Protocol.COM_PING});
            assertErrorThenClosed(c, 1835);
        }
        try (RawClient c = new RawClient(server.port())) {
            c.greeting();
            c.write(2, RawClient.handshakeResponse("raw", "ks", RawClient.CLIENT_CAPS));
            assertErrorThenClosed(c, 1835);
        }
        assertServerStillServes();
    }

    @Test
    void aPacketOverTheLimitIsRefusedWithoutReadingIt() throws Exception {
        try (RawClient c = loggedIn()) {
            // Only the header: the server must answer without waiting for 16 MiB it would have to buffer.
            c.writeRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0});
            assertErrorThenClosed(c, 1153);
        }
        try (RawClient c = loggedIn()) {
            // Just over the limit, with the whole payload sent.
            byte[] payload = new byte[MAX_PACKET + 1];
            payload[0] = Protocol.COM_QUERY;
            c.writeRaw(RawClient.concat(new byte[] {1, 0, 0x10, 0}, payload));
            assertErrorThenClosed(c, 1153);
        }
        assertServerStillServes();
    }

    @Test
    void stmtExecuteWithAnUnknownIdIsAnErrorButNotAProtocolBreak() throws Exception {
        try (RawClient c = loggedIn()) {
            c.command(Protocol.COM_STMT_EXECUTE, new PacketBuilder().int4(999).int1(0).int4(1).toByteArray());
            RawClient.Packet p = c.read();
            assertThat(p.isErr()).isTrue();
            assertThat(p.errno()).isEqualTo(1243);
            assertThat(p.message()).contains("999").contains("mysqld_stmt_execute");
            c.command(Protocol.COM_PING, new byte[0]);
            assertThat(c.read().isOk()).isTrue();
        }
        assertServerStillServes();
    }

    @Test
    void stmtExecuteWithATruncatedPayload() throws Exception {
        try (RawClient c = loggedIn()) {
            c.command(Protocol.COM_STMT_PREPARE, "select ?, ?".getBytes(StandardCharsets.UTF_8));
            RawClient.Packet prepared = c.read();
            assertThat(prepared.isOk()).isTrue();
            PayloadReader r = prepared.reader();
            r.int1();
            long id = r.int4();
            // two parameter definitions + EOF, two column definitions + EOF
            for (int i = 0; i < 6; i++) {
                c.read();
            }
            // Statement id, flags, iteration count, NULL bitmap, then nothing where the bound flag should be.
            c.command(Protocol.COM_STMT_EXECUTE, new PacketBuilder().int4(id).int1(0).int4(1).int1(0).toByteArray());
            assertErrorThenClosed(c, 1835);
        }
        try (RawClient c = loggedIn()) {
            c.command(Protocol.COM_STMT_EXECUTE, new byte[] {1, 0});
            assertErrorThenClosed(c, 1835);
        }
        assertServerStillServes();
    }

    @Test
    void anEmptyCommandPacket() throws Exception {
        try (RawClient c = loggedIn()) {
            c.write(0, new byte[0]);
            assertErrorThenClosed(c, 1835);
        }
        assertServerStillServes();
    }

    @Test
    void unknownCommandsAreErrorsAndTheConnectionStays() throws Exception {
        try (RawClient c = loggedIn()) {
            for (int command : new int[] {0x00, 0x20, 0x12, 0xff}) {
                c.command(command, new byte[] {1, 2, 3});
                RawClient.Packet p = c.read();
                assertThat(p.isErr()).isTrue();
                assertThat(p.errno()).isEqualTo(1047);
                assertThat(p.sqlState()).isEqualTo("08S01");
            }
            c.command(Protocol.COM_PING, new byte[0]);
            assertThat(c.read().isOk()).isTrue();
        }
        assertServerStillServes();
    }

    @Test
    void anSslRequestToAServerWithoutTls() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.greeting();
            assertThat(c.serverCapabilities & Protocol.CLIENT_SSL).isZero();
            c.write(1, new PacketBuilder().int4(RawClient.CLIENT_CAPS | Protocol.CLIENT_SSL).int4(1 << 24).int1(45)
                    .zeros(23).toByteArray());
            assertErrorThenClosed(c, 1835);
        }
        assertServerStillServes();
    }

    @Test
    void randomBytesNeverHurtTheServer() throws Exception {
        Random random = new Random(20240102);
        for (int i = 0; i < 40; i++) {
            try (RawClient c = new RawClient(server.port())) {
                c.greeting();
                byte[] junk = new byte[1 + random.nextInt(64)];
                random.nextBytes(junk);
                c.writeRaw(junk);
                c.shutdownOutput();
                c.readUntilClosed();
            }
        }
        int[] commands = {Protocol.COM_QUERY, Protocol.COM_INIT_DB, Protocol.COM_FIELD_LIST, Protocol.COM_PING,
            Protocol.COM_STATISTICS, Protocol.COM_STMT_PREPARE, Protocol.COM_STMT_EXECUTE, Protocol.COM_STMT_RESET,
            Protocol.COM_STMT_FETCH, Protocol.COM_SET_OPTION, Protocol.COM_RESET_CONNECTION, 0x30};
        for (int i = 0; i < 40; i++) {
            try (RawClient c = loggedIn()) {
                c.command(Protocol.COM_STMT_PREPARE, "select ?, ?, ?".getBytes(StandardCharsets.UTF_8));
                for (int k = 0; k < 9; k++) {
                    c.read();
                }
                for (int k = 0; k < 5; k++) {
                    byte[] body = new byte[random.nextInt(24)];
                    random.nextBytes(body);
                    if (body.length >= 4 && random.nextBoolean()) {
                        body[0] = 1; // the prepared statement's id, so execute gets past the lookup
                        body[1] = 0;
                        body[2] = 0;
                        body[3] = 0;
                    }
                    c.command(commands[random.nextInt(commands.length)], body);
                    if (!answered(c)) {
                        break;
                    }
                }
            }
        }
        assertServerStillServes();
    }

    /** Reads one complete response; false if the server closed the connection instead. */
    private static boolean answered(RawClient c) throws IOException {
        try {
            RawClient.Packet first = c.read();
            if (first.isErr() || first.isOk() || first.first() == 0xfe) {
                return !first.isErr() || first.errno() != 1835;
            }
            if (first.payload().length > 0 && Character.isLetter(first.first())) {
                return true; // COM_STATISTICS text
            }
            RawClient.Packet end = c.readUntilEnd();
            return !end.isErr() || end.errno() != 1835;
        } catch (java.io.EOFException | java.net.SocketException e) {
            return false;
        }
    }
}
