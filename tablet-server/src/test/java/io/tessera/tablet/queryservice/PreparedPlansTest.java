package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Type;
import io.tessera.tablet.mysqlclient.ColumnDefinition;
import io.tessera.tablet.mysqlclient.Parameter;
import io.tessera.tablet.mysqlclient.ServerStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which statements run prepared, their {@code ?} text, and which values become parameters. */
class PreparedPlansTest {
    private static final int LONGLONG = 8;
    private static final int DOUBLE = 5;

    private final AtomicLong now = new AtomicLong();
    private final PreparedPlans plans = new PreparedPlans(now::get);

    @Test
    void bindVariablesBecomeQuestionMarksInOrderOutsideStringsAndComments() {
        PreparedPlans.Plan p = plans.plan("SELECT a FROM t /* :c */ WHERE b = :b AND c = ':x' AND d IN (:d, :b)");
        assertThat(p.sql()).isEqualTo("SELECT a FROM t /* :c */ WHERE b = ? AND c = ':x' AND d IN (?, ?)");
        assertThat(p.names()).containsExactly("b", "d", "b");
        assertThat(plans.plan("SELECT a FROM t /* :c */ WHERE b = :b AND c = ':x' AND d IN (:d, :b)")).isSameAs(p);
    }

    @Test
    void statementsWithoutBindVariablesOrWithListsRunAsText() {
        assertThat(plans.plan("SELECT 1")).isNull();
        assertThat(plans.plan("SELECT a FROM t WHERE id IN ::ids")).isNull();
        PreparedPlans.Plan p = plans.plan("SELECT a FROM t WHERE id = :id");
        assertThat(p).isNotNull();
        plans.textOnly("SELECT a FROM t WHERE id = :id");
        assertThat(plans.plan("SELECT a FROM t WHERE id = :id")).isNull();
    }

    @Test
    void onlyNullsWholeNumbersAndUtf8StringsBecomeParameters() {
        PreparedPlans.Plan p = plans.plan("SELECT a FROM t WHERE a = :a");
        assertThat(PreparedPlans.parameters(p, Map.of("a", bv(Type.INT64, "-9223372036854775808"))))
                .containsExactly(new Parameter.Int(Long.MIN_VALUE, false));
        assertThat(PreparedPlans.parameters(p, Map.of("a", bv(Type.UINT64, "18446744073709551615"))))
                .containsExactly(new Parameter.Int(-1, true));
        assertThat(PreparedPlans.parameters(p, Map.of("a", BindVariable.newBuilder().setType(Type.NULL_TYPE)
                .build()))).containsExactly(Parameter.NULL);
        List<Parameter> text = PreparedPlans.parameters(p, Map.of("a", bv(Type.VARCHAR, "é'\\")));
        assertThat(((Parameter.Text) text.get(0)).utf8()).isEqualTo("é'\\".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        for (BindVariable other : List.of(bv(Type.INT64, "1.5"), bv(Type.UINT64, "-1"), bv(Type.DECIMAL, "1"),
                bv(Type.FLOAT64, "1"), bv(Type.VARBINARY, "x"), bv(Type.DATETIME, "2024-01-01 00:00:00"),
                BindVariable.newBuilder().setType(Type.VARCHAR).setValue(ByteString.copyFrom(new byte[] {
                    (byte) 0xff})).build())) {
            assertThat(PreparedPlans.parameters(p, Map.of("a", other))).as(other.toString()).isNull();
        }
        assertThat(PreparedPlans.parameters(p, Map.of("b", bv(Type.INT64, "1")))).isNull();
    }

    @Test
    void aPreparedStatementMatchesTheTextPathOnlyWithTableColumnsOfRenderableTypes() {
        PreparedPlans.Plan p = plans.plan("SELECT a FROM t WHERE a = :a");
        assertThat(PreparedPlans.matchesText(statement(1, column("t", "a", LONGLONG)), p)).isTrue();
        assertThat(PreparedPlans.matchesText(statement(2, column("t", "a", LONGLONG)), p)).isFalse();
        assertThat(PreparedPlans.matchesText(statement(1), p)).isFalse();
        assertThat(PreparedPlans.matchesText(statement(1, column("", "", LONGLONG)), p)).isFalse();
        assertThat(PreparedPlans.matchesText(statement(1, column("t", "a", LONGLONG), column("t", "d", DOUBLE)), p))
                .isFalse();
        assertThat(PreparedPlans.neverPrepares(1064)).isTrue();
        assertThat(PreparedPlans.neverPrepares(1146)).isFalse();
    }

    @Test
    void mysqldOutOfPreparedStatementsPausesPreparingForAWhile() {
        assertThat(plans.mayPrepare()).isTrue();
        plans.refused(1146);
        assertThat(plans.mayPrepare()).isTrue();
        plans.refused(1461);
        assertThat(plans.mayPrepare()).isFalse();
        now.addAndGet(PreparedPlans.PAUSE_NANOS - 1);
        assertThat(plans.mayPrepare()).isFalse();
        now.addAndGet(1);
        assertThat(plans.mayPrepare()).isTrue();
    }

    private static ServerStatement statement(int parameters, ColumnDefinition... columns) {
        return new ServerStatement(1, "SELECT a FROM t WHERE a = ?", parameters, List.of(columns));
    }

    private static ColumnDefinition column(String table, String name, int type) {
        return new ColumnDefinition("def", "vt_ks", table, table, name, name, 63, 20, type, 0, 0);
    }

    private static BindVariable bv(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }
}
