package io.tessera.gate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.sql.SetStatement.Assignment;
import io.tessera.gate.sql.SetStatement.Scope;
import io.tessera.gate.sql.SetStatement.ValueKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetStatementTest {
    private static List<Assignment> parse(String sql) {
        return SetStatement.parse(SqlLexer.lex(sql)).assignments();
    }

    @Test
    void readsScopesNamesAndLiteralValues() {
        List<Assignment> a = parse("SET autocommit = 0, @X := 'a''b', SESSION sql_mode = TRADITIONAL, "
                + "@@session.time_zone = '+00:00', @@local.wait_timeout = -5, LOCAL sql_safe_updates = ON");
        assertThat(a).extracting(Assignment::scope).containsExactly(Scope.SESSION, Scope.USER, Scope.SESSION,
                Scope.SESSION, Scope.SESSION, Scope.SESSION);
        assertThat(a).extracting(Assignment::name).containsExactly("autocommit", "x", "sql_mode", "time_zone",
                "wait_timeout", "sql_safe_updates");
        assertThat(a).extracting(Assignment::kind).containsExactly(ValueKind.NUMBER, ValueKind.STRING,
                ValueKind.WORD, ValueKind.STRING, ValueKind.NUMBER, ValueKind.WORD);
        assertThat(a).extracting(Assignment::literal).containsExactly("0", "a'b", "TRADITIONAL", "+00:00", "-5",
                "ON");
    }

    @Test
    void scopeKeywordsCarryOverAndVariablePrefixesDoNot() {
        List<Assignment> a = parse("SET GLOBAL a = 1, b = 2, @@session.c = 3, d = 4, SESSION e = 5");
        assertThat(a).extracting(Assignment::scope).containsExactly(Scope.GLOBAL, Scope.GLOBAL, Scope.SESSION,
                Scope.GLOBAL, Scope.SESSION);
    }

    @Test
    void readsMysqldumpHeaderLines() {
        List<Assignment> a = parse("/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */");
        assertThat(a).hasSize(2);
        assertThat(a.get(0).scope()).isEqualTo(Scope.USER);
        assertThat(a.get(0).name()).isEqualTo("old_unique_checks");
        assertThat(a.get(0).kind()).isEqualTo(ValueKind.EXPRESSION);
        assertThat(a.get(0).systemVariables()).containsExactly("unique_checks");
        assertThat(a.get(1).name()).isEqualTo("unique_checks");
        assertThat(a.get(1).literal()).isEqualTo("0");

        List<Assignment> b = parse("/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */");
        assertThat(b.getFirst().kind()).isEqualTo(ValueKind.EXPRESSION);
        assertThat(b.getFirst().userVariables()).containsExactly("old_character_set_client");
    }

    @Test
    void expressionsEndAtTopLevelCommas() {
        List<Assignment> a = parse("SET sql_mode = CONCAT(@@sql_mode, ',NO_ZERO_DATE'), @y = IF(1, 2, 3)");
        assertThat(a).extracting(Assignment::value).containsExactly("CONCAT(@@sql_mode, ',NO_ZERO_DATE')",
                "IF(1, 2, 3)");
        assertThat(a.getFirst().systemVariables()).containsExactly("sql_mode");
    }

    @Test
    void readsNamesCharacterSetAndTransaction() {
        assertThat(parse("SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci")).extracting(Assignment::name,
                Assignment::literal).containsExactly(org.assertj.core.groups.Tuple.tuple("names", "utf8mb4"),
                org.assertj.core.groups.Tuple.tuple("collation_connection", "utf8mb4_unicode_ci"));
        assertThat(parse("SET NAMES 'latin1'").getFirst().literal()).isEqualTo("latin1");
        assertThat(parse("SET CHARACTER SET utf8").getFirst().name()).isEqualTo("character_set");
        assertThat(parse("SET CHARSET DEFAULT").getFirst().isDefault()).isTrue();
        assertThat(parse("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY"))
                .extracting(Assignment::name, Assignment::literal)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("transaction_isolation", "READ-COMMITTED"),
                        org.assertj.core.groups.Tuple.tuple("transaction_read_only", "1"));
        assertThat(parse("SET TRANSACTION READ WRITE").getFirst().literal()).isEqualTo("0");
    }

    @Test
    void readsBindVariablesAndNulls() {
        List<Assignment> a = parse("SET @a = :v1, character_set_results = NULL");
        assertThat(a.get(0).kind()).isEqualTo(ValueKind.BIND_VARIABLE);
        assertThat(a.get(0).literal()).isEqualTo("v1");
        assertThat(a.get(1).isNull()).isTrue();
    }

    @Test
    void refusesMalformedAndUnsupportedForms() {
        assertThatThrownBy(() -> parse("SET x")).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.SYNTAX_ERROR));
        assertThatThrownBy(() -> parse("SET a = 1,")).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.SYNTAX_ERROR));
        assertThatThrownBy(() -> parse("SET PASSWORD = 'x'")).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNIMPLEMENTED));
        assertThatThrownBy(() -> parse("SET STATEMENT max_statement_time=1 FOR SELECT 1"))
                .isInstanceOfSatisfying(TesseraException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNIMPLEMENTED));
    }
}
