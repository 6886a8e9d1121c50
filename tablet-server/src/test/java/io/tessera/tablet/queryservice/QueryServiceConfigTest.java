package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.common.cli.FlagSyntax;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class QueryServiceConfigTest {
    @Command(name = "tablet")
    static final class Tablet {
        @Mixin
        QueryServiceFlags queryService;
    }

    private static QueryServiceConfig parse(String... args) {
        Tablet tablet = new Tablet();
        CommandLine cl = new CommandLine(tablet);
        cl.parseArgs(FlagSyntax.normalize(cl.getCommandSpec(), List.of(args)).toArray(String[]::new));
        return tablet.queryService.toConfig();
    }

    @Test
    void defaultsAreVitesss() {
        QueryServiceConfig c = QueryServiceConfig.defaults();
        assertThat(c.poolSize()).isEqualTo(16);
        assertThat(c.streamPoolSize()).isEqualTo(200);
        assertThat(c.transactionCap()).isEqualTo(20);
        assertThat(c.txPoolTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.queryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.transactionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxResultSize()).isEqualTo(10_000);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.streamBufferSize()).isEqualTo(32 * 1024);
        assertThat(parse()).isEqualTo(c);
    }

    @Test
    void flagsInEitherSpellingSetTheConfig() {
        QueryServiceConfig c = parse("-queryserver_config_pool_size=4", "--queryserver-config-stream-pool-size", "8",
                "--queryserver_config_transaction_cap=3", "-queryserver-config-txpool-timeout=500ms",
                "--queryserver-config-query-timeout=2", "--queryserver-config-transaction-timeout=1m",
                "--queryserver-config-max-result-size=7", "--queryserver-config-idle-timeout=0",
                "--queryserver-config-query-pool-timeout=3s", "--queryserver-config-stream-buffer-size=4096");
        assertThat(c).isEqualTo(new QueryServiceConfig(4, 8, 3, Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofMinutes(1), 7, Duration.ZERO, Duration.ofSeconds(3), Duration.ZERO, 4096));
        assertThat(c.effectiveQueryPoolWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.effectiveStreamPoolWait()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void refusesValuesOutOfRangeNamingTheFlag() {
        assertThatThrownBy(() -> parse("--queryserver-config-pool-size=0"))
                .hasMessageContaining("--queryserver-config-pool-size");
        assertThatThrownBy(() -> parse("--queryserver-config-txpool-timeout=10ms"))
                .hasMessageContaining("--queryserver-config-txpool-timeout");
        assertThatThrownBy(() -> parse("--queryserver-config-idle-timeout=1s"))
                .hasMessageContaining("--queryserver-config-idle-timeout");
        assertThatThrownBy(() -> parse("--queryserver-config-query-timeout=-1s"))
                .hasMessageContaining("--queryserver-config-query-timeout");
        assertThatThrownBy(() -> parse("--queryserver-config-query-timeout=soon"))
                .hasMessageContaining("not a duration");
    }
}
