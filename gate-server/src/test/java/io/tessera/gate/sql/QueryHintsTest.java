package io.tessera.gate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.Type;
import org.junit.jupiter.api.Test;

class QueryHintsTest {
    @Test
    void readsTheQueryTimeoutDirective() {
        assertThat(QueryHints.queryTimeoutMillis(SqlLexer.lex("SELECT /*+ QUERY_TIMEOUT_MS=250 */ * FROM t")))
                .hasValue(250);
        assertThat(QueryHints.queryTimeoutMillis(SqlLexer.lex("/*vt+ query_timeout_ms = 7 */ SELECT 1")))
                .hasValue(7);
        assertThat(QueryHints.queryTimeoutMillis(SqlLexer.lex("SELECT /*+ MAX_EXECUTION_TIME(5) */ 1"))).isEmpty();
        assertThat(QueryHints.queryTimeoutMillis(SqlLexer.lex("SELECT '/*+ QUERY_TIMEOUT_MS=5 */'"))).isEmpty();
        assertThat(QueryHints.queryTimeoutMillis(SqlLexer.lex("SELECT /* QUERY_TIMEOUT_MS=5 */ 1"))).isEmpty();
    }

    @Test
    void writesLiterals() {
        assertThat(SqlLiterals.of(Type.INT64, ByteString.copyFromUtf8("-12"))).isEqualTo("-12");
        assertThat(SqlLiterals.of(Type.VARCHAR, ByteString.copyFromUtf8("a'b"))).isEqualTo("'a''b'");
        assertThat(SqlLiterals.of(Type.VARBINARY, ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff})))
                .isEqualTo("X'0001ff'");
        assertThat(SqlLiterals.of(Type.VARCHAR, null)).isEqualTo("NULL");
        assertThat(SqlLiterals.of(Type.DECIMAL, ByteString.copyFromUtf8("1.50"))).isEqualTo("1.50");
    }
}
