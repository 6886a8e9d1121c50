package io.tessera.gate.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BufferConfigTest {
    @Test
    void defaultsAreVitessOnes() {
        BufferConfig c = BufferConfig.defaults();

        assertThat(c.enabled()).isFalse();
        assertThat(c.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.size()).isEqualTo(1000);
        assertThat(c.maxFailoverDuration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.minTimeBetweenFailovers()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.withEnabled(true).enabled()).isTrue();
    }

    @Test
    void invalidSettingsAreRefusedWithTheFlagName() {
        BufferConfig c = BufferConfig.defaults();
        assertThatThrownBy(() -> c.withWindow(Duration.ZERO)).hasMessageContaining("--buffer_window");
        assertThatThrownBy(() -> c.withSize(0)).hasMessageContaining("--buffer_size");
        assertThatThrownBy(() -> c.withMaxFailoverDuration(Duration.ofSeconds(-1)))
                .hasMessageContaining("--buffer_max_failover_duration");
        assertThatThrownBy(() -> c.withMinTimeBetweenFailovers(Duration.ofSeconds(-1)))
                .hasMessageContaining("--buffer_min_time_between_failovers");
        assertThat(c.withMinTimeBetweenFailovers(Duration.ZERO).minTimeBetweenFailovers()).isZero();
    }
}
