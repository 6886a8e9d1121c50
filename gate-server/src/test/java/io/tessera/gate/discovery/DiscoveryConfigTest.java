package io.tessera.gate.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryConfigTest {
    @Test
    void defaultsAreVitessOnesWithAQuickerRefresh() {
        DiscoveryConfig c = DiscoveryConfig.defaults("zone1");

        assertThat(c.localCell()).isEqualTo("zone1");
        assertThat(c.cellsToWatch()).containsExactly("zone1");
        assertThat(c.tabletRefreshInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.healthCheckRetryDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.healthCheckTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.lowReplicationLag()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.highReplicationLagMinServing()).isEqualTo(Duration.ofHours(2));
        assertThat(c.minNumberServingTablets()).isEqualTo(2);
        assertThat(c.legacyReplicationLagAlgorithm()).isTrue();
        assertThat(c.retryCount()).isEqualTo(2);
    }

    @Test
    void cellsAreCopiedWithoutDuplicates() {
        List<String> cells = new ArrayList<>(List.of("zone1", "zone2", "zone1"));
        DiscoveryConfig c = DiscoveryConfig.defaults("zone1").withCellsToWatch(cells);
        cells.add("zone3");

        assertThat(c.cellsToWatch()).containsExactly("zone1", "zone2");
    }

    @Test
    void invalidSettingsAreRefusedWithTheFlagName() {
        DiscoveryConfig d = DiscoveryConfig.defaults("zone1");
        assertThatThrownBy(() -> DiscoveryConfig.defaults(" ")).hasMessageContaining("--cell");
        assertThatThrownBy(() -> d.withCellsToWatch(List.of())).hasMessageContaining("--cells_to_watch");
        assertThatThrownBy(() -> d.withIntervals(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("--tablet_refresh_interval");
        assertThatThrownBy(() -> d.withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasMessageContaining("--healthcheck_retry_delay");
        assertThatThrownBy(() -> d.withLagFilter(Duration.ofMinutes(5), Duration.ofMinutes(1), 2, true))
                .hasMessageContaining("--discovery_high_replication_lag_minimum_serving");
        assertThatThrownBy(() -> d.withLagFilter(Duration.ofSeconds(30), Duration.ofHours(2), -1, true))
                .hasMessageContaining("--min_number_serving_vttablets");
        assertThatThrownBy(() -> d.withRetryCount(-1)).hasMessageContaining("--retry-count");
    }
}
