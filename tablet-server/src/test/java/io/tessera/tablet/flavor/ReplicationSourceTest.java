package io.tessera.tablet.flavor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicationSourceTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void neverPrintsThePassword() {
        ReplicationSource source = ReplicationSource.of("db-1", 3306, "repl", "hunter2", SECOND);
        assertThat(source.toString()).contains("repl@db-1:3306").doesNotContain("hunter2");
        assertThat(source.heartbeatInterval()).isZero();
    }

    @Test
    void acceptsAnEmptyPassword() {
        assertThat(ReplicationSource.of("db-1", 3306, "repl", "", SECOND).password()).isEmpty();
    }

    @Test
    void validatesEveryField() {
        assertThatThrownBy(() -> ReplicationSource.of(" ", 3306, "repl", "pw", SECOND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> ReplicationSource.of("db", 0, "repl", "pw", SECOND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> ReplicationSource.of("db", 65536, "repl", "pw", SECOND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> ReplicationSource.of("db", 3306, "", "pw", SECOND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> ReplicationSource.of("db", 3306, "repl", null, SECOND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> ReplicationSource.of("db", 3306, "repl", "pw", Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connect retry");
        assertThatThrownBy(() -> new ReplicationSource("db", 3306, "repl", "pw", SECOND, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeat");
    }
}
