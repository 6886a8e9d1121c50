package io.tessera.tablet.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The serving decision, with fakes behind the probe, lag and state interfaces. */
class HealthCheckTest {
    private static final HealthConfig CONFIG = HealthConfig.defaults()
            .withThresholds(Duration.ofSeconds(30), Duration.ofSeconds(600));
    private static final Instant TERM_START = Instant.parse("2025-01-02T03:04:05Z");

    private static Target target(TabletType type) {
        return Target.newBuilder().setKeyspace("commerce").setShard("0").setTabletType(type).setCell("zone1").build();
    }

    private static TabletState replica(boolean wantServing) {
        return new TabletState(target(TabletType.REPLICA), wantServing, Optional.empty());
    }

    private static HealthReport decide(TabletState state, Optional<String> mysqlProblem, LagReading lag) {
        return HealthCheck.decide(state, mysqlProblem, lag, CONFIG);
    }

    private static LagReading lagOf(long seconds) {
        return new LagReading.Measured(Duration.ofSeconds(seconds));
    }

    @Test
    void aReplicaWithLowLagIsHealthyAndServes() {
        HealthReport report = decide(replica(true), Optional.empty(), lagOf(3));
        assertThat(report.serving()).isTrue();
        assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(report.replicationLag()).isEqualTo(Duration.ofSeconds(3));
        assertThat(report.healthError()).isEmpty();
        assertThat(report.primaryTermStart()).isEmpty();
    }

    @Test
    void aReplicaAboveTheDegradedThresholdStillServesWithoutAnError() {
        HealthReport report = decide(replica(true), Optional.empty(), lagOf(31));
        assertThat(report.serving()).isTrue();
        assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(report.healthError()).isEmpty();
        assertThat(report.replicationLag()).isEqualTo(Duration.ofSeconds(31));
        assertThat(decide(replica(true), Optional.empty(), lagOf(30)).status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void aReplicaAboveTheUnhealthyThresholdStopsServingAndSaysWhy() {
        HealthReport report = decide(replica(true), Optional.empty(), lagOf(601));
        assertThat(report.serving()).isFalse();
        assertThat(report.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(report.healthError()).contains("replication lag 601s is above the unhealthy threshold of 600s");
        assertThat(report.replicationLag()).isEqualTo(Duration.ofSeconds(601));
        assertThat(decide(replica(true), Optional.empty(), lagOf(600)).serving()).isTrue();
    }

    @Test
    void anUnknownLagIsAHealthError() {
        HealthReport report = decide(replica(true), Optional.empty(),
                new LagReading.Unavailable("no heartbeat table"));
        assertThat(report.serving()).isFalse();
        assertThat(report.healthError()).contains("replication lag unknown: no heartbeat table");
        assertThat(report.replicationLag()).isZero();
    }

    @Test
    void anUnreachableMysqldIsAHealthErrorWhateverTheType() {
        HealthReport report = decide(replica(true), Optional.of("mysqld is not reachable: refused"), lagOf(1));
        assertThat(report.serving()).isFalse();
        assertThat(report.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(report.healthError()).contains("mysqld is not reachable: refused");
        assertThat(report.replicationLag()).isZero();

        TabletState primary = new TabletState(target(TabletType.PRIMARY), true, Optional.of(TERM_START));
        assertThat(decide(primary, Optional.of("down"), LagReading.none()).healthError()).contains("down");
    }

    @Test
    void aTabletThatDoesNotWantToServeDoesNotEvenWhenHealthy() {
        HealthReport report = decide(replica(false), Optional.empty(), lagOf(0));
        assertThat(report.serving()).isFalse();
        assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(report.healthError()).isEmpty();
    }

    @Test
    void aPrimaryReportsItsTermAndNoLagAndTheLagSourceIsNotAsked() {
        AtomicInteger lagAsked = new AtomicInteger();
        TabletState primary = new TabletState(target(TabletType.PRIMARY), true, Optional.of(TERM_START));
        HealthCheck check = new HealthCheck(CONFIG, Optional::empty, () -> {
            lagAsked.incrementAndGet();
            return new LagReading.Unavailable("a primary has no heartbeat to read");
        }, () -> primary);
        HealthReport report = check.run();
        assertThat(report.serving()).isTrue();
        assertThat(report.primaryTermStart()).contains(TERM_START);
        assertThat(report.replicationLag()).isZero();
        assertThat(lagAsked).hasValue(0);

        // A term start given for a non-primary is not reported.
        TabletState replicaWithTerm = new TabletState(target(TabletType.REPLICA), true, Optional.of(TERM_START));
        assertThat(decide(replicaWithTerm, Optional.empty(), lagOf(0)).primaryTermStart()).isEmpty();
    }

    @Test
    void theRunAsksTheProbeAndTheLagSource() {
        HealthCheck check = new HealthCheck(CONFIG, Optional::empty, () -> lagOf(45), () -> replica(true));
        assertThat(check.run().status()).isEqualTo(HealthStatus.DEGRADED);
        HealthCheck down = new HealthCheck(CONFIG, () -> Optional.of("refused"), () -> {
            throw new AssertionError("the lag of a server that does not answer is not read");
        }, () -> replica(true));
        assertThat(down.run().healthError()).contains("refused");
    }

    @Test
    void reportsBecomeStreamHealthMessages() {
        TabletAlias alias = TabletAlias.newBuilder().setCell("zone1").setUid(100).build();
        TabletState primary = new TabletState(target(TabletType.PRIMARY), true, Optional.of(TERM_START));
        StreamHealthResponse r = HealthResponses.of(alias, decide(primary, Optional.empty(), LagReading.none()));
        assertThat(r.getTarget()).isEqualTo(target(TabletType.PRIMARY));
        assertThat(r.getServing()).isTrue();
        assertThat(r.getPrimaryTermStartTimestamp()).isEqualTo(TERM_START.getEpochSecond());
        assertThat(r.getTabletAlias()).isEqualTo(alias);
        assertThat(r.getRealtimeStats().getHealthError()).isEmpty();

        StreamHealthResponse lagging = HealthResponses.of(alias,
                decide(replica(true), Optional.empty(), new LagReading.Measured(Duration.ofMillis(45_900))));
        assertThat(lagging.getRealtimeStats().getReplicationLagSeconds()).isEqualTo(45);
        assertThat(lagging.getPrimaryTermStartTimestamp()).isZero();
        assertThat(HealthResponses.lagSeconds(Duration.ofSeconds(1L << 40))).isEqualTo((int) 0xFFFF_FFFFL);
        assertThat(new LagReading.Measured(Duration.ofSeconds(-3)).lag()).isZero();
    }

    @Test
    void theConfigHasVitessDefaultsAndRefusesNonsense() {
        HealthConfig defaults = HealthConfig.defaults();
        assertThat(defaults.healthCheckInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.degradedThreshold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.unhealthyThreshold()).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> defaults.withThresholds(Duration.ofMinutes(5), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the unhealthy threshold");
        assertThatThrownBy(() -> defaults.withHeartbeatInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--heartbeat_interval");
    }

    @Test
    void aReportCannotServeWhileUnhealthy() {
        assertThatThrownBy(() -> new HealthReport(target(TabletType.REPLICA), true, Optional.empty(), Duration.ZERO,
                Optional.of("down"), HealthStatus.UNHEALTHY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthReport(target(TabletType.REPLICA), false, Optional.empty(), Duration.ZERO,
                Optional.empty(), HealthStatus.UNHEALTHY)).isInstanceOf(IllegalArgumentException.class);
    }
}
