package io.tessera.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ArgParserTest {
    private static final List<FlagDef> FLAGS = List.of(
            FlagDef.bool("force", "f"),
            FlagDef.string("new-primary", "alias", "p").aka("new_master"),
            FlagDef.list("denied-tables", "t", "d").aka("blacklisted_tables"),
            FlagDef.integer("max-rows", "n", "m"),
            FlagDef.duration("wait-replicas-timeout", "w"),
            FlagDef.repeated("sql", "s", "s"));

    private static ParsedArgs parse(String... args) throws UsageException {
        return ArgParser.parse("Cmd", FLAGS, List.of(args));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-new_master=zone1-1", "--new_master=zone1-1", "-new-master=zone1-1",
            "--new-primary=zone1-1", "-new_primary=zone1-1"})
    void everySpellingOfANameIsTheSameFlag(String flag) throws Exception {
        assertThat(parse(flag).string("new-primary")).contains("zone1-1");
    }

    @Test
    void valueMayFollowAsTheNextWord() throws Exception {
        ParsedArgs a = parse("ks/0", "--new-primary", "zone1-1", "-max_rows", "5");
        assertThat(a.string("new-primary")).contains("zone1-1");
        assertThat(a.integer("max-rows")).hasValue(5);
        assertThat(a.positionals()).containsExactly("ks/0");
    }

    @Test
    void booleansAreBareOrExplicitAndNeverTakeTheNextWord() throws Exception {
        assertThat(parse("-force", "ks").bool("force")).isTrue();
        assertThat(parse("-force", "ks").positionals()).containsExactly("ks");
        assertThat(parse("--force=true").bool("force")).isTrue();
        assertThat(parse("--force=false").bool("force")).isFalse();
        assertThat(parse("--force=0").bool("force")).isFalse();
        assertThat(parse().bool("force")).isFalse();
        assertThatThrownBy(() -> parse("--force=yes")).hasMessageContaining("expected true or false");
    }

    @Test
    void listsSplitAtCommasAndAccumulate() throws Exception {
        ParsedArgs a = parse("-blacklisted_tables=t1,t2", "--denied-tables", "t3", "--denied_tables=t4");
        assertThat(a.list("denied-tables")).containsExactly("t1", "t2", "t3", "t4");
    }

    @Test
    void repeatedFlagsKeepCommas() throws Exception {
        assertThat(parse("--sql", "insert into t values (1,2)", "--sql=select 1").list("sql"))
                .containsExactly("insert into t values (1,2)", "select 1");
    }

    @Test
    void durationsUseGoSyntax() throws Exception {
        assertThat(parse("--wait_replicas_timeout=1m30s").duration("wait-replicas-timeout"))
                .contains(Duration.ofSeconds(90));
        assertThatThrownBy(() -> parse("--wait-replicas-timeout", "soon"))
                .isInstanceOf(UsageException.class).hasMessageContaining("not a duration");
    }

    @Test
    void lastValueWinsForPlainFlags() throws Exception {
        assertThat(parse("--new-primary=a-1", "--new-primary=b-2").string("new-primary")).contains("b-2");
    }

    @Test
    void dashDashEndsFlagsAndNegativeNumbersArePositional() throws Exception {
        ParsedArgs a = parse("--", "--force", "-1");
        assertThat(a.bool("force")).isFalse();
        assertThat(a.positionals()).containsExactly("--force", "-1");
        assertThat(parse("-1", "-").positionals()).containsExactly("-1", "-");
    }

    @Test
    void valueStartingWithADashIsStillTheValue() throws Exception {
        assertThat(parse("--new-primary", "-weird").string("new-primary")).contains("-weird");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> parse("--nope")).hasMessage("unknown flag --nope for Cmd");
        assertThatThrownBy(() -> parse("-new_master")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> parse("--max-rows=lots")).hasMessageContaining("expected a whole number");
    }

    @Test
    void helpIsRecognisedInAnySpellingBeforeDashDash() {
        assertThat(ArgParser.wantsHelp(List.of("ks", "-help"))).isTrue();
        assertThat(ArgParser.wantsHelp(List.of("--help"))).isTrue();
        assertThat(ArgParser.wantsHelp(List.of("-h"))).isTrue();
        assertThat(ArgParser.wantsHelp(List.of("--", "--help"))).isFalse();
        assertThat(ArgParser.wantsHelp(List.of("helpful"))).isFalse();
    }

    @Test
    void positionalCountIsChecked() throws Exception {
        assertThatThrownBy(() -> parse().expect(1, 1, "<keyspace>")).hasMessage("Cmd needs <keyspace>");
        assertThatThrownBy(() -> parse("a", "b").expect(1, 1, "<keyspace>"))
                .hasMessage("Cmd takes <keyspace> but got 2 arguments: a b");
        assertThatThrownBy(() -> parse("a").expect(0, 0, "")).hasMessageContaining("takes no arguments");
    }
}
