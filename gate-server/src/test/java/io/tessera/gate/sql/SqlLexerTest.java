package io.tessera.gate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {
    private static List<String> texts(String sql) {
        return SqlLexer.lex(sql).all().stream().map(Token::text).toList();
    }

    private static List<TokenType> types(String sql) {
        return SqlLexer.lex(sql).all().stream().map(Token::type).toList();
    }

    @Test
    void splitsWordsNumbersStringsAndSymbols() {
        assertThat(texts("SELECT a.b, 1.5e-3, 'x''y', \"q\\\"r\" FROM `t``1` WHERE c <=> :id AND d := ?"))
                .containsExactly("SELECT", "a", ".", "b", ",", "1.5e-3", ",", "'x''y'", ",", "\"q\\\"r\"", "FROM",
                        "`t``1`", "WHERE", "c", "<=>", ":id", "AND", "d", ":=", "?");
        assertThat(types("x 0x1F 0b101 .5"))
                .containsExactly(TokenType.WORD, TokenType.NUMBER, TokenType.NUMBER, TokenType.NUMBER);
    }

    @Test
    void readsVariables() {
        Tokens t = SqlLexer.lex("SELECT @a, @`b c`, @'d', @@session.sql_mode, @@GLOBAL.x, @@autocommit");
        assertThat(t.all().stream().filter(k -> k.type() == TokenType.USER_VARIABLE).map(Token::name))
                .containsExactly("a", "b c", "d");
        assertThat(t.all().stream().filter(k -> k.type() == TokenType.SYSTEM_VARIABLE)
                .map(SystemVariableRef::of))
                .containsExactly(new SystemVariableRef(false, true, "sql_mode"),
                        new SystemVariableRef(true, true, "x"), new SystemVariableRef(false, false, "autocommit"));
    }

    @Test
    void hostPartOfAnAccountIsNotAVariable() {
        assertThat(types("GRANT SELECT ON t TO 'u'@'%'")).doesNotContain(TokenType.USER_VARIABLE);
        assertThat(types("CREATE DEFINER=`root`@`localhost` VIEW v AS SELECT 1"))
                .doesNotContain(TokenType.USER_VARIABLE);
    }

    @Test
    void skipsCommentsButReadsExecutableOnesAndKeepsHints() {
        Tokens t = SqlLexer.lex("# hash\n-- dashes\n/* plain */ SELECT /*+ QUERY_TIMEOUT_MS=10 */ 1 "
                + "/*vt+ X=1 */ /*!40101 , 2 */ /*M!100100 , 3 */");
        assertThat(t.all().stream().map(Token::text)).containsExactly("SELECT", "1", ",", "2", ",", "3");
        assertThat(t.hints()).containsExactly(" QUERY_TIMEOUT_MS=10 ", " X=1 ");
        assertThat(t.get(2).executable()).isTrue();
        assertThat(t.get(1).executable()).isFalse();
    }

    @Test
    void executableCommentsNewerThanTheServerAreComments() {
        assertThat(SqlLexer.lex("/*!999999\\- enable the sandbox mode */").isEmpty()).isTrue();
        assertThat(texts("/*!80000 SELECT */ 1")).containsExactly("SELECT", "1");
    }

    @Test
    void doubleDashNeedsASpaceToStartAComment() {
        assertThat(texts("SELECT 1--2")).containsExactly("SELECT", "1", "-", "-", "2");
        assertThat(texts("SELECT 1 -- 2")).containsExactly("SELECT", "1");
    }

    @Test
    void unterminatedStringRunsToTheEnd() {
        assertThat(texts("SELECT 'abc")).containsExactly("SELECT", "'abc");
    }

    @Test
    void stringValuesAreUnescaped() {
        Tokens t = SqlLexer.lex("'a\\'b' 'c''d' \"e\\nf\"");
        assertThat(t.all().stream().map(Token::stringValue)).containsExactly("a'b", "c'd", "e\nf");
    }

    @Test
    void lookingPastTheEndGivesEnd() {
        Tokens t = SqlLexer.lex("SELECT");
        assertThat(t.get(5).type()).isEqualTo(TokenType.END);
        assertThat(t.get(-1).type()).isEqualTo(TokenType.END);
    }
}
