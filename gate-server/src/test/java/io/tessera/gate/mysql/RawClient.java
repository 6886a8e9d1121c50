package io.tessera.gate.mysql;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A bare MySQL protocol client over a socket, for tests that need exact packets or deliberately broken ones. */
final class RawClient implements AutoCloseable {
    record Packet(int sequence, byte[] payload) {
        int first() {
            return payload.length == 0 ? -1 : payload[0] & 0xff;
        }

        boolean isErr() {
            return first() == 0xff;
        }

        boolean isOk() {
            return first() == 0x00;
        }

        int errno() {
            return (payload[1] & 0xff) | (payload[2] & 0xff) << 8;
        }

        String sqlState() {
            return new String(payload, 4, 5, StandardCharsets.US_ASCII);
        }

        String message() {
            return new String(payload, 9, payload.length - 9, StandardCharsets.UTF_8);
        }

        PayloadReader reader() {
            return new PayloadReader(payload);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    byte[] salt;
    int serverCapabilities;
    int serverExtendedCapabilities;

    RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Reads the server greeting and remembers the salt and capabilities. */
    Packet greeting() throws IOException {
        Packet p = read();
        if (p.isErr()) {
            return p;
        }
        PayloadReader r = p.reader();
        r.int1();
        r.nulString();
        r.int4();
        byte[] part1 = r.bytes(8);
        r.int1();
        int low = r.int2();
        r.int1();
        r.int2();
        int high = r.int2();
        r.int1();
        r.skip(6);
        serverExtendedCapabilities = (int) r.int4();
        byte[] part2 = r.bytes(12);
        salt = new byte[20];
        System.arraycopy(part1, 0, salt, 0, 8);
        System.arraycopy(part2, 0, salt, 8, 12);
        serverCapabilities = low | high << 16;
        return p;
    }

    static final int CLIENT_CAPS = Protocol.CLIENT_PROTOCOL_41 | Protocol.CLIENT_SECURE_CONNECTION
            | Protocol.CLIENT_PLUGIN_AUTH | Protocol.CLIENT_CONNECT_WITH_DB | Protocol.CLIENT_MULTI_RESULTS
            | Protocol.CLIENT_TRANSACTIONS | Protocol.CLIENT_LONG_PASSWORD;

    /** A handshake response with an empty password under mysql_native_password. */
    static byte[] handshakeResponse(String user, String database, int capabilities) {
        return handshakeResponse(user, database, capabilities, 0);
    }

    /** The same with MariaDB's extended capabilities in the last 4 filler bytes. */
    static byte[] handshakeResponse(String user, String database, int capabilities, int extended) {
        return new PacketBuilder().int4(capabilities).int4(1 << 24).int1(45).zeros(19).int4(extended)
                .nulString(user).int1(0).nulString(database).nulString("mysql_native_password").toByteArray();
    }

    /**
     * Logs in as a MariaDB client would: CLIENT_LONG_PASSWORD (CLIENT_MYSQL) clear and {@code extended} asked
     * for.
     */
    Packet loginMariadb(String user, int extended) throws IOException {
        Packet g = greeting();
        if (g.isErr()) {
            return g;
        }
        write(1, handshakeResponse(user, "ks", CLIENT_CAPS & ~Protocol.CLIENT_LONG_PASSWORD, extended));
        return read();
    }

    /** Logs in as {@code user} with an empty password (for servers that accept anyone); returns the answer. */
    Packet login(String user, int extraCapabilities) throws IOException {
        Packet g = greeting();
        if (g.isErr()) {
            return g;
        }
        write(1, handshakeResponse(user, "ks", CLIENT_CAPS | extraCapabilities));
        return read();
    }

    /** Sends a command with sequence id 0. */
    void command(int command, byte[] body) throws IOException {
        byte[] payload = new byte[body.length + 1];
        payload[0] = (byte) command;
        System.arraycopy(body, 0, payload, 1, body.length);
        write(0, payload);
    }

    void query(String sql) throws IOException {
        command(Protocol.COM_QUERY, sql.getBytes(StandardCharsets.UTF_8));
    }

    void write(int sequence, byte[] payload) throws IOException {
        writeRaw(new PacketBuilder().int3(payload.length).int1(sequence).bytes(payload).toByteArray());
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    Packet read() throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        int sequence = header[3] & 0xff;
        if (length < Protocol.MAX_CHUNK) {
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Packet(sequence, payload);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[length];
        in.readFully(chunk);
        all.writeBytes(chunk);
        Packet rest = read();
        all.writeBytes(rest.payload());
        return new Packet(sequence, all.toByteArray());
    }

    /** Reads packets until one that ends a text result set (EOF/OK 0xfe, or ERR) and returns it. */
    Packet readUntilEnd() throws IOException {
        while (true) {
            Packet p = read();
            if (p.isErr() || (p.first() == 0xfe && p.payload().length < 0xffffff)) {
                return p;
            }
        }
    }

    /** Whether the server closed the connection: reading ends with EOF (or a reset) rather than a timeout. */
    boolean isClosedByServer() throws IOException {
        try {
            InputStream s = socket.getInputStream();
            return s.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Reads what the server sends until it closes the connection, returning the packets. */
    java.util.List<Packet> readUntilClosed() throws IOException {
        java.util.List<Packet> packets = new java.util.ArrayList<>();
        while (true) {
            try {
                packets.add(read());
            } catch (EOFException | SocketException e) {
                return packets;
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
