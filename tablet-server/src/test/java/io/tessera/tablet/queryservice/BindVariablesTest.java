package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.Value;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindVariablesTest {
    static BindVariable bv(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }

    static BindVariable bytes(Type type, byte... value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFrom(value)).build();
    }

    static BindVariable tuple(Value... values) {
        BindVariable.Builder b = BindVariable.newBuilder().setType(Type.TUPLE);
        for (Value v : values) {
            b.addValues(v);
        }
        return b.build();
    }

    static Value value(Type type, String v) {
        return Value.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(v)).build();
    }

    private static String sub(String sql, Map<String, BindVariable> vars) {
        return BindVariables.substitute(sql, vars);
    }

    @Test
    void writesEachTypeAsALiteral() {
        assertThat(sub("SELECT :a, :b, :c, :d, :e", Map.of(
                "a", bv(Type.INT64, "-9223372036854775808"),
                "b", bv(Type.UINT64, "18446744073709551615"),
                "c", bv(Type.FLOAT64, "-1.5e-3"),
                "d", bv(Type.DECIMAL, "12345678901234567890.0001"),
                "e", bv(Type.NULL_TYPE, ""))))
                .isEqualTo("SELECT -9223372036854775808, 18446744073709551615, -1.5e-3, "
                        + "12345678901234567890.0001, NULL");
        assertThat(sub("SELECT :s, :d, :j", Map.of("s", bv(Type.VARCHAR, "it's"), "d", bv(Type.DATETIME,
                "2024-01-02 03:04:05"), "j", bv(Type.JSON, "{\"a\": 1}"))))
                .isEqualTo("SELECT 'it''s', '2024-01-02 03:04:05', '{\"a\": 1}'");
        assertThat(sub("SELECT :b", Map.of("b", bytes(Type.VARBINARY, (byte) 0, (byte) 0xff, (byte) '\''))))
                .isEqualTo("SELECT X'00FF27'");
        assertThat(sub("SELECT :h, :x, :t", Map.of("h", bv(Type.HEXNUM, "0x1F"), "x", bv(Type.HEXVAL, "x'1F'"),
                "t", bv(Type.BITNUM, "0b101")))).isEqualTo("SELECT 0x1F, x'1F', 0b101");
        assertThat(sub("SELECT :a, :b, :c, :d", Map.of("a", bv(Type.INT32, "+007"), "b", bv(Type.UINT64, "+0042"),
                "c", bv(Type.INT8, "-0"), "d", bv(Type.UINT64, "9223372036854775808"))))
                .isEqualTo("SELECT 7, 42, 0, 9223372036854775808");
    }

    @Test
    void textThatDependsOnSqlModeIsWrittenInHex() {
        // A backslash means different things with and without NO_BACKSLASH_ESCAPES; hex means the same.
        assertThat(sub("SELECT :s", Map.of("s", bv(Type.VARCHAR, "a\\b"))))
                .isEqualTo("SELECT _utf8mb4 X'615C62'");
        assertThat(sub("SELECT :s", Map.of("s", bv(Type.VARCHAR, "nul\0"))))
                .isEqualTo("SELECT _utf8mb4 X'6E756C00'");
        assertThat(sub("SELECT :s", Map.of("s", bv(Type.VARCHAR, "héllo ✓"))))
                .isEqualTo("SELECT 'héllo ✓'");
        // Not UTF-8: the bytes go as they are.
        assertThat(sub("SELECT :s", Map.of("s", bytes(Type.VARCHAR, (byte) 0xc3)))).isEqualTo("SELECT X'C3'");
        assertThat(sub("SELECT :e", Map.of("e", bv(Type.VARBINARY, "")))).isEqualTo("SELECT X''");
    }

    @Test
    void tuplesBecomeParenthesisedLists() {
        BindVariable ids = tuple(value(Type.INT64, "1"), value(Type.VARCHAR, "two"), value(Type.NULL_TYPE, ""));
        assertThat(sub("SELECT * FROM t WHERE id IN ::ids", Map.of("ids", ids)))
                .isEqualTo("SELECT * FROM t WHERE id IN (1, 'two', NULL)");
        assertThat(sub("SELECT * FROM t WHERE id IN :ids", Map.of("ids", ids)))
                .isEqualTo("SELECT * FROM t WHERE id IN (1, 'two', NULL)");
    }

    @Test
    void leavesQuotedTextAndCommentsAlone() {
        Map<String, BindVariable> vars = Map.of("a", bv(Type.INT64, "1"));
        assertThat(sub("SELECT ':a', \":a\", `:a` /* :a */ FROM t WHERE x = :a -- :a", vars))
                .isEqualTo("SELECT ':a', \":a\", `:a` /* :a */ FROM t WHERE x = 1 -- :a");
        assertThat(sub("SELECT @v := :a", vars)).isEqualTo("SELECT @v := 1");
        assertThat(sub("SELECT 'it\\'s :a', :a", vars)).isEqualTo("SELECT 'it\\'s :a', 1");
        // Without bind variables the statement is passed on as it is.
        assertThat(sub("SELECT :a", Map.of())).isEqualTo("SELECT :a");
    }

    @Test
    void refusesMissingAndMalformedValues() {
        assertBad(() -> sub("SELECT :missing", Map.of("other", bv(Type.INT64, "1"))), "missing bind variable :missing");
        assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.INT64, "1; DROP TABLE t"))), "not a valid INT64");
        assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.INT64, "9223372036854775808"))), "not a valid INT64");
        assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.UINT32, "-1"))), "not a valid UINT32");
        assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.UINT64, "18446744073709551616"))), "not a valid UINT64");
        assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.INT64, "-9223372036854775809"))), "not a valid INT64");
        for (String notAnInteger : new String[] {"", "+", "-", "1.0", " 1", "\u0663", "--1", "+-1"}) {
            assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.INT32, notAnInteger))), "not a valid INT32");
        }
        assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.FLOAT64, "NaN"))), "not a valid FLOAT64");
        assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.DECIMAL, "1e5"))), "not a valid DECIMAL");
        assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.HEXNUM, "0x1G"))), "not a valid HEXNUM");
        assertBad(() -> sub("SELECT :a", Map.of("a", bv(Type.EXPRESSION, "1+1"))), "cannot be used as a value");
        assertBad(() -> sub("SELECT ::a", Map.of("a", bv(Type.INT64, "1"))), "not TUPLE");
        assertBad(() -> sub("SELECT :a", Map.of("a", tuple())), "empty TUPLE");
    }

    @Test
    void substitutedTextIsUtf8Safe() {
        String sql = sub("SELECT :s", Map.of("s", bv(Type.TEXT, "日本")));
        assertThat(sql.getBytes(StandardCharsets.UTF_8)).contains("日本".getBytes(StandardCharsets.UTF_8));
    }

    private static void assertBad(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(TesseraException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
