package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.Type;
import org.junit.jupiter.api.Test;

/** PacketBuilder, PayloadReader, the type table and handshake-response parsing. */
class WirePrimitivesTest {
    @Test
    void lengthEncodedIntegersRoundTrip() {
        long[] values = {0, 250, 251, 65535, 65536, (1 << 24) - 1, 1 << 24, Long.MAX_VALUE, -1};
        PacketBuilder p = new PacketBuilder();
        for (long v : values) {
            p.lenencInt(v);
        }
        PayloadReader r = new PayloadReader(p.toByteArray());
        for (long v : values) {
            assertThat(r.lenencInt()).isEqualTo(v);
        }
        assertThat(r.hasMore()).isFalse();
        assertThat(new PacketBuilder().lenencInt(251).toByteArray()).containsExactly(0xfc, 251, 0);
    }

    @Test
    void readingPastTheEndIsMalformed() {
        assertThatThrownBy(() -> new PayloadReader(new byte[] {1}).int2()).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> new PayloadReader(new byte[] {5, 'a'}).lenencBytes())
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> new PayloadReader(new byte[] {'a', 'b'}).nulString())
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> new PayloadReader(new byte[] {(byte) 0xfb}).lenencInt())
                .isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> new PayloadReader(new byte[] {(byte) 0xfe, 1, 2}).lenencInt())
                .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void typeTable() {
        assertThat(MysqlTypes.column(Type.UINT8)).isEqualTo(new MysqlTypes.Column(MysqlTypes.TINY,
                MySqlFlag.NUM_FLAG_VALUE | MySqlFlag.UNSIGNED_FLAG_VALUE, true));
        assertThat(MysqlTypes.column(Type.VARBINARY).flags() & MySqlFlag.BINARY_FLAG_VALUE).isNotZero();
        assertThat(MysqlTypes.column(Type.VARCHAR)).isEqualTo(new MysqlTypes.Column(MysqlTypes.VAR_STRING, 0, false));
        assertThat(MysqlTypes.column(Type.ENUM).flags()).isEqualTo(MySqlFlag.ENUM_FLAG_VALUE);
        assertThat(MysqlTypes.column(Type.SET).code()).isEqualTo(MysqlTypes.STRING);
        assertThat(MysqlTypes.column(Type.DECIMAL).code()).isEqualTo(MysqlTypes.NEWDECIMAL);
        assertThat(MysqlTypes.column(Type.TEXT).code()).isEqualTo(MysqlTypes.BLOB);
        assertThat(MysqlTypes.column(Type.EXPRESSION).code()).isEqualTo(MysqlTypes.VAR_STRING);
        assertThat(MysqlTypes.column(Type.NULL_TYPE).code()).isEqualTo(MysqlTypes.NULL);
        for (Type t : Type.values()) {
            if (t != Type.UNRECOGNIZED) {
                assertThat(MysqlTypes.column(t)).as(t.name()).isNotNull();
            }
        }
    }

    @Test
    void handshakeResponses() {
        byte[] payload = new PacketBuilder().int4(Protocol.CLIENT_PROTOCOL_41 | Protocol.CLIENT_SECURE_CONNECTION
                        | Protocol.CLIENT_CONNECT_WITH_DB | Protocol.CLIENT_PLUGIN_AUTH | Protocol.CLIENT_CONNECT_ATTRS)
                .int4(0).int1(45).zeros(23).nulString("bob").int1(3).bytes(new byte[] {1, 2, 3}).nulString("ks@replica")
                .nulString("caching_sha2_password").lenencInt(2).int1(0).int1(0).toByteArray();
        HandshakeResponse r = HandshakeResponse.parse(payload);
        assertThat(r.user()).isEqualTo("bob");
        assertThat(r.authResponse()).containsExactly(1, 2, 3);
        assertThat(r.database()).isEqualTo("ks@replica");
        assertThat(r.authPlugin()).isEqualTo("caching_sha2_password");

        byte[] old = new PacketBuilder().int4(Protocol.CLIENT_SECURE_CONNECTION).int4(0).int1(45).zeros(23)
                .nulString("bob").int1(0).toByteArray();
        assertThatThrownBy(() -> HandshakeResponse.parse(old)).hasMessageContaining("4.1");
        byte[] badAttrs = new PacketBuilder().int4(Protocol.CLIENT_PROTOCOL_41 | Protocol.CLIENT_SECURE_CONNECTION
                        | Protocol.CLIENT_PLUGIN_AUTH | Protocol.CLIENT_CONNECT_ATTRS)
                .int4(0).int1(45).zeros(23).nulString("bob").int1(0).nulString("mysql_native_password").lenencInt(200)
                .toByteArray();
        assertThatThrownBy(() -> HandshakeResponse.parse(badAttrs)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void saltsArePrintableAndFresh() {
        byte[] a = Salt.generate();
        assertThat(a).hasSize(20);
        for (byte b : a) {
            assertThat(b).isBetween((byte) 0x21, (byte) 0x7e);
        }
        assertThat(Salt.generate()).isNotEqualTo(a);
    }

    @Test
    void errorsKeepTheirMysqlNumbers() {
        MysqlError e = MysqlError.of(io.tessera.common.errors.TesseraException.of(
                io.tessera.common.errors.ErrorKind.UNKNOWN_DATABASE, "x"));
        assertThat(e).isEqualTo(new MysqlError(1049, "42000", "Unknown database 'x'"));
        MysqlError passed = MysqlError.of(io.tessera.common.errors.TesseraException.mysql(1062, "23000", "dup", null));
        assertThat(passed).isEqualTo(new MysqlError(1062, "23000", "dup"));
        MysqlError internal = MysqlError.of(new IllegalStateException("bad"));
        assertThat(internal.errno()).isEqualTo(1105);
        assertThat(internal.sqlState()).isEqualTo("HY000");
        assertThat(internal.message()).startsWith("internal error: ").contains("bad");
    }
}
