package io.tessera.gate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.gate.sql.SessionReference.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionReferenceTest {
    private static List<SessionReference> find(String sql) {
        return SessionReference.find(SqlLexer.lex(sql));
    }

    @Test
    void findsFunctionsAndVariablesTheGateOwns() {
        assertThat(find("SELECT DATABASE(), schema(), LAST_INSERT_ID(), ROW_COUNT(), FOUND_ROWS(), @a, "
                + "@@autocommit, @@global.x, LAST_INSERT_ID(5), db.DATABASE()"))
                .extracting(SessionReference::kind)
                .containsExactly(Kind.DATABASE, Kind.DATABASE, Kind.LAST_INSERT_ID, Kind.ROW_COUNT, Kind.FOUND_ROWS,
                        Kind.USER_VARIABLE, Kind.SYSTEM_VARIABLE);
    }

    @Test
    void skipsAssignedUserVariables() {
        assertThat(find("SELECT @n := @n + 1 FROM t")).extracting(SessionReference::name).containsExactly("n");
        assertThat(find("SELECT a, b INTO @x, @y FROM t WHERE c = @z")).extracting(SessionReference::name)
                .containsExactly("z");
    }

    @Test
    void marksSchemaComparisons() {
        List<SessionReference> refs = find("SELECT DATABASE() FROM information_schema.tables "
                + "WHERE table_schema = DATABASE()");
        assertThat(refs).extracting(SessionReference::schemaValue).containsExactly(false, true);
    }

    @Test
    void selectListItemsAndAliases() {
        Tokens t = SqlLexer.lex("SELECT DISTINCT a, b AS c, f(x) y, @v `z`, 1 + 2, x IS NULL, 'lit' FROM t");
        SelectList list = SelectList.of(t).orElseThrow();
        assertThat(list.items()).extracting(SelectList.Item::hasAlias)
                .containsExactly(false, true, true, true, false, false, false);
        assertThat(t.get(list.end()).isWord("FROM")).isTrue();
        assertThat(SelectList.of(SqlLexer.lex("UPDATE t SET a = 1"))).isEmpty();
    }
}
