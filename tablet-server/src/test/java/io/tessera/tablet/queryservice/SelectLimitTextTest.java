package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code sql_select_limit} a statement is sent to mysqld under ({@link NativeStatementRunner#withSelectLimit}). */
class SelectLimitTextTest {
    private static final StatementInfo SELECT = StatementClassifier.classify("SELECT 1");
    private static final StatementInfo SHOW = StatementClassifier.classify("SHOW TABLES");

    @Test
    void aSelectUnderTheSessionsOwnLimitIsSentAsItIs() {
        assertThat(NativeStatementRunner.withSelectLimit("SELECT 1", SELECT, 10001, 10001)).isEqualTo("SELECT 1");
        assertThat(NativeStatementRunner.withSelectLimit("SELECT 1", SELECT, 0, 0)).isEqualTo("SELECT 1");
    }

    @Test
    void aSelectUnderAnotherLimitSaysItsOwn() {
        assertThat(NativeStatementRunner.withSelectLimit("SELECT 1", SELECT, 3, 10001))
                .isEqualTo("SET STATEMENT SQL_SELECT_LIMIT=3 FOR SELECT 1");
        assertThat(NativeStatementRunner.withSelectLimit("SELECT 1", SELECT, 10001, 0))
                .isEqualTo("SET STATEMENT SQL_SELECT_LIMIT=10001 FOR SELECT 1");
        assertThat(NativeStatementRunner.withSelectLimit("SELECT 1", SELECT, 0, 10001))
                .isEqualTo("SET STATEMENT SQL_SELECT_LIMIT=DEFAULT FOR SELECT 1");
    }

    @Test
    void otherStatementsRunUnderTheSessionLimitOnlyWhenItIsTheCap() {
        assertThat(NativeStatementRunner.withSelectLimit("SHOW TABLES", SHOW, 10001, 10001)).isEqualTo("SHOW TABLES");
        assertThat(NativeStatementRunner.withSelectLimit("SHOW TABLES", SHOW, 3, 0)).isEqualTo("SHOW TABLES");
        assertThat(NativeStatementRunner.withSelectLimit("SHOW TABLES", SHOW, 3, 10001))
                .isEqualTo("SET STATEMENT SQL_SELECT_LIMIT=DEFAULT FOR SHOW TABLES");
    }
}
