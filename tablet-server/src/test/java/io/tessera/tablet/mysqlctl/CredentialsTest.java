package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheVitessCredentialsFileFormat() {
        CredentialsFile file = CredentialsFile.parse("{\"vt_app\": [\"new\", \"old\"], \"vt_dba\": [\"d\"]}");
        assertThat(file.passwordFor("vt_app")).contains("new");
        assertThat(file.passwordFor("vt_dba")).contains("d");
        assertThat(file.passwordFor("vt_repl")).isEmpty();
        assertThat(file.toString()).doesNotContain("new", "old");
    }

    @Test
    void malformedFilesGiveClearErrors() throws Exception {
        assertThatThrownBy(() -> CredentialsFile.parse("{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> CredentialsFile.parse("[\"x\"]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> CredentialsFile.parse("{\"vt_app\": \"pw\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vt_app")
                .hasMessageContaining("list of passwords");
        assertThatThrownBy(() -> CredentialsFile.parse("{\"vt_app\": []}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vt_app");
        assertThatThrownBy(() -> CredentialsFile.parse("{\"vt_app\": [1]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a string");

        Path missing = tmp.resolve("missing.json");
        assertThatThrownBy(() -> CredentialsFile.read(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{");
        assertThatThrownBy(() -> CredentialsFile.read(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--db-credentials-file " + bad);
    }

    @Test
    void flagsDefaultToTheVitessUsersAndTheFileOverridesListedPasswords() throws Exception {
        assertThat(DbCredentialsConfig.defaults().resolve()).isEqualTo(DbCredentials.defaults());
        assertThat(DbCredentials.defaults().app().user()).isEqualTo("vt_app");
        assertThat(DbCredentials.defaults().dba().user()).isEqualTo("vt_dba");
        assertThat(DbCredentials.defaults().repl().user()).isEqualTo("vt_repl");

        Path file = Files.writeString(tmp.resolve("creds.json"), "{\"app\": [\"from-file\"], \"other\": [\"x\"]}");
        DbCredentials resolved = new DbCredentialsConfig("dba", "dba-flag", "app", "app-flag", "repl", "repl-flag",
                Optional.of(file)).resolve();
        assertThat(resolved.app()).isEqualTo(new DbUser("app", "from-file"));
        assertThat(resolved.dba()).isEqualTo(new DbUser("dba", "dba-flag"));
        assertThat(resolved.repl()).isEqualTo(new DbUser("repl", "repl-flag"));
    }

    @Test
    void passwordsNeverAppearInToString() {
        assertThat(new DbUser("vt_app", "hunter2").toString()).doesNotContain("hunter2");
        assertThat(new ReplicationParams("h", 1, "vt_repl", "hunter2").toString()).doesNotContain("hunter2");
        assertThat(DbCredentials.withPassword("hunter2").toString()).doesNotContain("hunter2");
        assertThat(new DbCredentialsConfig("a", "hunter2", "b", "hunter2", "c", "hunter2", Optional.empty())
                .toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> new DbUser(" ", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DbUser("x".repeat(81), "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("80");
    }
}
