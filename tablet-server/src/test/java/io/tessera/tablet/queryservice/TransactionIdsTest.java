package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TransactionIdsTest {
    @Test
    void idsStartAtTheStartTimeSoARestartedTabletNeverReusesOne() {
        Instant start = Instant.parse("2026-01-01T00:00:00.000000123Z");
        TransactionIds before = new TransactionIds(Clock.fixed(start, ZoneOffset.UTC));
        long first = before.next();
        assertThat(first).isEqualTo(start.getEpochSecond() * 1_000_000_000L + 124);
        assertThat(before.next()).isEqualTo(first + 1);
        long lastBeforeRestart = 0;
        for (int i = 0; i < 1000; i++) {
            lastBeforeRestart = before.next();
        }
        TransactionIds after = new TransactionIds(Clock.fixed(start.plusSeconds(1), ZoneOffset.UTC));
        assertThat(after.next()).isGreaterThan(lastBeforeRestart);
    }
}
