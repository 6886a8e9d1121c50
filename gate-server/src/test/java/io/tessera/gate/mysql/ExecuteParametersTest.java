package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecuteParametersTest {
    private static final int UNSIGNED = 0x8000;

    private static PreparedStatement statement(int params) {
        return new PreparedStatement(1, "sql", params, List.of(), 1000);
    }

    private static String text(BindVariable b) {
        return b.getValue().toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyParameterTypeBecomesItsTextForm() {
        int[] types = {MysqlTypes.TINY, MysqlTypes.TINY | UNSIGNED, MysqlTypes.SHORT, MysqlTypes.LONG | UNSIGNED,
            MysqlTypes.LONGLONG, MysqlTypes.LONGLONG | UNSIGNED, MysqlTypes.FLOAT, MysqlTypes.DOUBLE,
            MysqlTypes.NEWDECIMAL, MysqlTypes.DATE, MysqlTypes.DATETIME, MysqlTypes.TIMESTAMP, MysqlTypes.TIME,
            MysqlTypes.VAR_STRING, MysqlTypes.BLOB, MysqlTypes.NULL, MysqlTypes.YEAR, MysqlTypes.TIME};
        PacketBuilder p = new PacketBuilder().zeros(3).int1(1);
        for (int t : types) {
            p.int2(t);
        }
        p.int1(0xff).int1(0xff).int2(0xfffe).int4(0xffffffffL).int8(-3).int8(-1)
                .int4(Float.floatToIntBits(0.1f)).int8(Double.doubleToLongBits(1e-7))
                .lenencString("-1.50")
                .int1(4).int2(2024).int1(2).int1(29)
                .int1(7).int2(2024).int1(1).int1(2).int1(3).int1(4).int1(5)
                .int1(11).int2(2024).int1(1).int1(2).int1(3).int1(4).int1(5).int4(120)
                .int1(12).int1(1).int4(1).int1(2).int1(3).int1(4).int4(500000)
                .lenencString("héllo")
                .lenencBytes(new byte[] {0, (byte) 0xff})
                // NULL type: no value
                .int2(1999)
                .int1(0);
        List<BindVariable> b = ExecuteParameters.read(new PayloadReader(p.toByteArray()), statement(types.length));
        assertThat(b).extracting(BindVariable::getType).containsExactly(Type.INT8, Type.UINT8, Type.INT16,
                Type.UINT32, Type.INT64, Type.UINT64, Type.FLOAT32, Type.FLOAT64, Type.DECIMAL, Type.DATE,
                Type.DATETIME, Type.TIMESTAMP, Type.TIME, Type.VARCHAR, Type.VARBINARY, Type.NULL_TYPE, Type.YEAR,
                Type.TIME);
        assertThat(b.subList(0, 13)).extracting(ExecuteParametersTest::text).containsExactly("-1", "255", "-2",
                "4294967295", "-3", "18446744073709551615", "0.1", "1.0E-7", "-1.50", "2024-02-29",
                "2024-01-02 03:04:05", "2024-01-02 03:04:05.000120", "-26:03:04.500000");
        assertThat(text(b.get(13))).isEqualTo("héllo");
        assertThat(b.get(14).getValue().toByteArray()).containsExactly(0, 0xff);
        assertThat(b.get(15).getValue().isEmpty()).isTrue();
        assertThat(text(b.get(16))).isEqualTo("1999");
        assertThat(text(b.get(17))).isEqualTo("00:00:00");
    }

    @Test
    void nullBitsAndLaterExecutesWithoutTypes() {
        PreparedStatement stmt = statement(2);
        byte[] first = new PacketBuilder().int1(0b10).int1(1).int2(MysqlTypes.LONG).int2(MysqlTypes.VAR_STRING)
                .int4(7).toByteArray();
        List<BindVariable> b = ExecuteParameters.read(new PayloadReader(first), stmt);
        assertThat(b.get(0).getType()).isEqualTo(Type.INT32);
        assertThat(b.get(1).getType()).isEqualTo(Type.NULL_TYPE);
        byte[] again = new PacketBuilder().int1(0).int1(0).int4(8).lenencString("x").toByteArray();
        b = ExecuteParameters.read(new PayloadReader(again), stmt);
        assertThat(text(b.get(0))).isEqualTo("8");
        assertThat(text(b.get(1))).isEqualTo("x");
    }

    @Test
    void typesMustBeBoundOnce() {
        byte[] payload = new PacketBuilder().int1(0).int1(0).int4(8).toByteArray();
        assertThatThrownBy(() -> ExecuteParameters.read(new PayloadReader(payload), statement(1)))
                .isInstanceOfSatisfying(TesseraException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.WRONG_ARGUMENTS));
    }

    @Test
    void unknownTypesAndBadLengthsAreWrongArguments() {
        byte[] unknown = new PacketBuilder().int1(0).int1(1).int2(0x40).int1(0).toByteArray();
        assertThatThrownBy(() -> ExecuteParameters.read(new PayloadReader(unknown), statement(1)))
                .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.mysqlErrno()).isEqualTo(1210));
        byte[] badDate = new PacketBuilder().int1(0).int1(1).int2(MysqlTypes.DATE).int1(5).zeros(5).toByteArray();
        assertThatThrownBy(() -> ExecuteParameters.read(new PayloadReader(badDate), statement(1)))
                .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.mysqlErrno()).isEqualTo(1210));
    }

    @Test
    void aShortPayloadIsMalformed() {
        byte[] shortValue = new PacketBuilder().int1(0).int1(1).int2(MysqlTypes.LONGLONG).int4(1).toByteArray();
        assertThatThrownBy(() -> ExecuteParameters.read(new PayloadReader(shortValue), statement(1)))
                .isInstanceOf(MalformedPacketException.class);
        byte[] shortString = new PacketBuilder().int1(0).int1(1).int2(MysqlTypes.VAR_STRING).int1(10).int1('a')
                .toByteArray();
        assertThatThrownBy(() -> ExecuteParameters.read(new PayloadReader(shortString), statement(1)))
                .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void longDataReplacesTheValueAndIsLimited() {
        PreparedStatement stmt = statement(2);
        stmt.appendLongData(0, "abc".getBytes(StandardCharsets.UTF_8));
        stmt.appendLongData(0, "def".getBytes(StandardCharsets.UTF_8));
        byte[] payload = new PacketBuilder().int1(0).int1(1).int2(MysqlTypes.BLOB).int2(MysqlTypes.TINY).int1(3)
                .toByteArray();
        List<BindVariable> b = ExecuteParameters.read(new PayloadReader(payload), stmt);
        assertThat(b.get(0).getType()).isEqualTo(Type.VARBINARY);
        assertThat(text(b.get(0))).isEqualTo("abcdef");
        assertThat(text(b.get(1))).isEqualTo("3");

        stmt.resetLongData();
        stmt.appendLongData(5, new byte[1]);
        assertThatThrownBy(stmt::throwLongDataError).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.mysqlErrno()).isEqualTo(1210));
        stmt.appendLongData(1, new byte[1001]);
        assertThatThrownBy(stmt::throwLongDataError).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.mysqlErrno()).isEqualTo(1153));
        stmt.throwLongDataError();
    }
}
