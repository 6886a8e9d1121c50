package io.tessera.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlSplitterTest {
    @Test
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        assertThat(SqlSplitter.split("create table a (id int); insert into a values (';'); "
                + "alter table `we;ird` add c int -- a ; comment\n; /* x; y */ drop table b;\n"))
                .containsExactly("create table a (id int)", "insert into a values (';')",
                        "alter table `we;ird` add c int -- a ; comment",
                        "/* x; y */ drop table b");
    }

    @Test
    void escapedQuotesAndEmptyPieces() {
        assertThat(SqlSplitter.split("insert into t values ('it''s;', \"a\\\";b\");;  ;# only a comment"))
                .containsExactly("insert into t values ('it''s;', \"a\\\";b\")");
    }
}
