package io.tessera.ctld.command;

import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.CreateKeyspaceRequest;
import io.tessera.proto.vtctldata.CreateShardRequest;
import io.tessera.proto.vtctldata.InitTabletRequest;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A memory topology with cell zone1, fake tablets, and the commands over them. */
abstract class CommandsTestBase {
    TopoServer topo;
    FakeTablets tablets;
    CtldCommands commands;

    @BeforeEach
    void openTopo() throws Exception {
        topo = TopoServer.open("memory://");
        topo.ensureCell("zone1");
        tablets = new FakeTablets();
        commands = CtldCommands.create(topo, tablets, new CommandSettings(Duration.ofSeconds(20)));
    }

    @AfterEach
    void closeTopo() {
        topo.close();
    }

    void keyspace(String name, String... shards) throws Exception {
        commands.keyspaces().createKeyspace(CreateKeyspaceRequest.newBuilder().setName(name).build());
        for (String s : shards) {
            commands.shards().createShard(CreateShardRequest.newBuilder().setKeyspace(name).setShardName(s).build());
        }
    }

    Tablet tablet(String alias, String keyspace, String shard, TabletType type) throws Exception {
        Tablet t = Tablet.newBuilder().setAlias(TabletAliases.parse(alias)).setKeyspace(keyspace).setShard(shard)
                .setType(type == TabletType.PRIMARY ? TabletType.REPLICA : type).setHostname("h")
                .putPortMap("grpc", 1).build();
        commands.tablets().initTablet(InitTabletRequest.newBuilder().setTablet(t).build());
        if (type == TabletType.PRIMARY) {
            topo.updateTabletFields(t.getAlias(), x -> x.toBuilder().setType(TabletType.PRIMARY).build());
            topo.updateShardFields(keyspace, shard, s -> s.toBuilder().setPrimaryAlias(t.getAlias()).build());
        }
        return topo.getTablet(t.getAlias()).value();
    }
}
