package io.tessera.topo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.common.cli.FlagSyntax;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class TopoFlagsTest {
    @Command(name = "t")
    static final class Cmd {
        @Mixin TopoFlags topo;
    }

    private static String address(String... args) {
        Cmd cmd = new Cmd();
        CommandLine cl = new CommandLine(cmd);
        cl.parseArgs(FlagSyntax.normalize(cl.getCommandSpec(), java.util.List.of(args)).toArray(String[]::new));
        return cmd.topo.address();
    }

    @Test
    void tesseraAddressIsTakenAsIs() {
        assertThat(address("--topo-address", "grpc://localhost:15990")).isEqualTo("grpc://localhost:15990");
        assertThat(address("-topo_address=etcd://h:2379/r")).isEqualTo("etcd://h:2379/r");
    }

    @Test
    void vitessFlagsComposeAnAddress() {
        assertThat(address("--topo_implementation", "etcd2", "--topo_global_server_address", "h1:2379,h2:2379",
                "--topo_global_root", "/vitess/global")).isEqualTo("etcd://h1:2379,h2:2379/vitess/global");
        assertThat(address("-topo_implementation", "grpc", "-topo_global_server_address", "h:15990"))
                .isEqualTo("grpc://h:15990");
    }

    @Test
    void missingConflictingOrBadFlagsSayWhatToDo() {
        assertThatThrownBy(TopoFlagsTest::address).hasMessageContaining("--topo-address is required");
        assertThatThrownBy(() -> address("--topo-address", "grpc://h:1", "--topo_implementation", "etcd2"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> address("--topo_implementation", "zk2", "--topo_global_server_address", "h:1"))
                .hasMessageContaining("unknown --topo_implementation 'zk2'");
        assertThatThrownBy(() -> address("--topo_global_root", "/r")).hasMessageContaining("go together");
        assertThatThrownBy(() -> address("--topo-address", "h:15990")).hasMessageContaining("missing scheme");
    }
}
