package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.common.errors.TesseraException;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtgate.TransactionMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecutorConfigTest {
    @Test
    void defaultsFollowVitess() {
        ExecutorConfig c = ExecutorConfig.defaults();
        assertThat(c.queryTimeout()).isEqualTo(Duration.ZERO);
        assertThat(c.maxMemoryRows()).isEqualTo(300_000);
        assertThat(c.defaultTabletType()).isEqualTo(TabletType.PRIMARY);
        assertThat(c.transactionMode()).isEqualTo(TransactionMode.SINGLE);
        assertThat(c.defaultKeyspace()).isEmpty();
    }

    @Test
    void validates() {
        ExecutorConfig c = ExecutorConfig.defaults();
        assertThatThrownBy(() -> c.withQueryTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withMaxMemoryRows(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withDefaultTabletType(TabletType.SPARE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withTransactionMode(TransactionMode.TWOPC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withDefaultKeyspace("ks@nonsense")).isInstanceOf(TesseraException.class);
        assertThat(c.withTransactionMode(TransactionMode.UNSPECIFIED).transactionMode())
                .isEqualTo(TransactionMode.SINGLE);
        assertThat(c.withDefaultKeyspace("commerce@replica").defaultKeyspace()).isEqualTo("commerce@replica");
    }
}
