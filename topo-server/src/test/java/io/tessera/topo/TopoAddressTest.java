package io.tessera.topo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopoAddressTest {
    @Test
    void etcdAddressesNameEndpointsAndRoot() throws Exception {
        TopoAddress a = TopoAddress.parse("etcd://h1:2379,h2:2379/my/root/");
        assertThat(a.scheme()).isEqualTo("etcd");
        assertThat(a.hosts()).containsExactly("h1:2379", "h2:2379");
        assertThat(a.root()).isEqualTo("/my/root");
        assertThat(TopoAddress.parse("etcd://127.0.0.1:2379").root()).isEqualTo(TopoAddress.DEFAULT_ROOT);
    }

    @Test
    void grpcAndMemoryAddresses() throws Exception {
        assertThat(TopoAddress.parse("grpc://localhost:15990").hosts()).containsExactly("localhost:15990");
        assertThat(TopoAddress.parse("memory://").hosts()).isEmpty();
    }

    @Test
    void malformedAddressesSayWhatIsExpected() {
        for (String bad : List.of("", "localhost:15990", "zk://h:1", "etcd://", "etcd://h", "etcd://h:x/r",
                "etcd://h:70000", "grpc://a:1,b:2", "memory://host:1")) {
            assertThatThrownBy(() -> TopoAddress.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(TopoException.class,
                            e -> assertThat(e.code()).isEqualTo(TopoException.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("expected etcd://host:2379");
        }
    }

    @Test
    void factoryRejectsSchemesWithoutABackend() {
        TopoConnFactory empty = new TopoConnFactory(List.of());
        assertThatThrownBy(() -> empty.open("etcd://h:2379/r")).hasMessageContaining("no topology backend");
    }

    @Test
    void memoryAddressesOpenThroughTheClassPathFactory() throws Exception {
        TopoConnFactory factory = TopoConnFactory.fromClassPath();
        assertThat(factory.schemes()).contains("memory");
        try (TopoConn a = factory.open("memory://"); TopoConn b = factory.open("memory://")) {
            a.create("x", new byte[] {1});
            assertThat(a.get("x").contents()).containsExactly(1);
            // Each memory:// address is a private store.
            assertThatThrownBy(() -> b.get("x")).isInstanceOfSatisfying(TopoException.class,
                    e -> assertThat(e.code()).isEqualTo(TopoException.Code.NO_NODE));
        }
    }
}
