package io.tessera.ctld.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.ctld.command.CommandSettings;
import io.tessera.ctld.command.CtldCommands;
import io.tessera.ctld.reparent.Reparenter;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.vtctldata.*;
import io.tessera.proto.vtctlservice.VtctldGrpc;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.TopoServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Vtctld adapter over in-process gRPC: validation and the mapping of failures to status codes. */
class VtctldGrpcServiceTest {
    private TopoServer topo;
    private Server server;
    private ManagedChannel channel;
    private final AtomicInteger externallyReparented = new AtomicInteger();
    private final AtomicInteger tabletsRepointed = new AtomicInteger();

    private VtctldGrpc.VtctldBlockingStub start(boolean disableActiveReparents) throws Exception {
        topo = TopoServer.open("memory://");
        topo.ensureCell("zone1");
        CtldCommands commands = CtldCommands.create(topo, tablet -> {
            throw TabletManagerException.unavailable("tablet unreachable", null);
        }, new CommandSettings(Duration.ofSeconds(5)));
        Reparenter reparenter = new Reparenter() {
            @Override
            public InitShardPrimaryResponse initShardPrimary(InitShardPrimaryRequest request) {
                return InitShardPrimaryResponse.getDefaultInstance();
            }

            @Override
            public PlannedReparentShardResponse plannedReparentShard(PlannedReparentShardRequest request) {
                return PlannedReparentShardResponse.newBuilder().setKeyspace(request.getKeyspace()).build();
            }

            @Override
            public EmergencyReparentShardResponse emergencyReparentShard(EmergencyReparentShardRequest request) {
                return EmergencyReparentShardResponse.getDefaultInstance();
            }

            @Override
            public TabletExternallyReparentedResponse tabletExternallyReparented(
                    TabletExternallyReparentedRequest request) {
                externallyReparented.incrementAndGet();
                return TabletExternallyReparentedResponse.getDefaultInstance();
            }

            @Override
            public ReparentTabletResponse reparentTablet(ReparentTabletRequest request) {
                tabletsRepointed.incrementAndGet();
                return ReparentTabletResponse.newBuilder().setPrimary(request.getTablet()).build();
            }
        };
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new VtctldGrpcService(commands, reparenter, disableActiveReparents)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        return VtctldGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
        if (topo != null) {
            topo.close();
        }
    }

    private static Status.Code code(Throwable t) {
        return ((StatusRuntimeException) t).getStatus().getCode();
    }

    @Test
    void mapsFailuresToStatusCodes() throws Exception {
        var stub = start(false);
        assertThatThrownBy(() -> stub.getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("nope").build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND))
                .hasMessageContaining("keyspace 'nope' does not exist")
                .satisfies(e -> assertThat(GrpcErrors.fromStatus(e).code())
                        .isEqualTo(io.tessera.proto.vtrpc.Code.NOT_FOUND));
        stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("ks").build());
        assertThatThrownBy(() -> stub.createShard(CreateShardRequest.newBuilder().setKeyspace("ks")
                .setShardName("zz-80").build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("zz-80");
        assertThatThrownBy(() -> stub.getTablet(GetTabletRequest.newBuilder()
                .setTabletAlias(TabletAlias.newBuilder().setUid(100)).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> stub.getTablet(GetTabletRequest.newBuilder()
                .setTabletAlias(TabletAlias.newBuilder().setCell("zone1").setUid(100)).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("bad/name").build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("ks").build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.ALREADY_EXISTS));

        stub.createShard(CreateShardRequest.newBuilder().setKeyspace("ks").setShardName("0").build());
        stub.initTablet(InitTabletRequest.newBuilder().setTablet(io.tessera.proto.topodata.Tablet.newBuilder()
                .setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(100)).setKeyspace("ks").setShard("0")
                .setType(io.tessera.proto.topodata.TabletType.REPLICA)).build());
        assertThatThrownBy(() -> stub.pingTablet(PingTabletRequest.newBuilder()
                .setTabletAlias(TabletAlias.newBuilder().setCell("zone1").setUid(100)).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.UNAVAILABLE))
                .hasMessageContaining("tablet unreachable");
        assertThat(stub.getTablets(GetTabletsRequest.getDefaultInstance()).getTabletsCount()).isEqualTo(1);
    }

    @Test
    void unlistedRpcsAreUnimplemented() throws Exception {
        var stub = start(false);
        assertThatThrownBy(() -> stub.getPermissions(GetPermissionsRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void activeReparentsCanBeDisabled() throws Exception {
        var stub = start(true);
        assertThatThrownBy(() -> stub.plannedReparentShard(PlannedReparentShardRequest.newBuilder().setKeyspace("ks")
                .setShard("0").build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION))
                .hasMessageContaining("--disable_active_reparents").hasMessageContaining("TabletExternallyReparented");
        assertThatThrownBy(() -> stub.emergencyReparentShard(EmergencyReparentShardRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> stub.initShardPrimary(InitShardPrimaryRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Status.Code.FAILED_PRECONDITION));
        stub.tabletExternallyReparented(TabletExternallyReparentedRequest.getDefaultInstance());
        assertThat(externallyReparented).hasValue(1);
        // ReparentTablet only points a replica at the recorded primary: not an active reparent.
        stub.reparentTablet(ReparentTabletRequest.getDefaultInstance());
        assertThat(tabletsRepointed).hasValue(1);
    }

    @Test
    void reparentsDelegateWhenEnabled() throws Exception {
        var stub = start(false);
        assertThat(stub.plannedReparentShard(PlannedReparentShardRequest.newBuilder().setKeyspace("ks").build())
                .getKeyspace()).isEqualTo("ks");
    }
}
