package io.tessera.tabletmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tessera.proto.tabletmanagerdata.PreflightSchemaRequest;
import io.tessera.proto.tabletmanagerdata.PingRequest;
import io.tessera.proto.tabletmanagerdata.PingResponse;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionResponse;
import io.tessera.proto.tabletmanagerdata.WaitForPositionRequest;
import io.tessera.proto.tabletmanagerdata.WaitForPositionResponse;
import io.tessera.proto.tabletmanagerservice.TabletManagerGrpc;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.vtrpc.Code;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC adapter and client together, over an in-process channel, in front of a fake manager. */
class TabletManagerGrpcTest {
    private final Map<String, Function<Object, Object>> answers = new ConcurrentHashMap<>();
    private Server server;
    private ManagedChannel channel;
    private TabletManagerClient client;

    /** A fake manager: each method answers with what the test put in {@link #answers}, else fails. */
    private TabletManagerClient fake() {
        InvocationHandler handler = (proxy, method, args) -> {
            Function<Object, Object> answer = answers.get(method.getName());
            if (answer == null) {
                throw new AssertionError("unexpected call " + method.getName());
            }
            return answer.apply(args[0]);
        };
        return (TabletManagerClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TabletManagerClient.class}, handler);
    }

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new TabletManagerGrpcService(fake())).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        client = TabletManagerClients.overChannel(channel, "zone1-0000000100", Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void callsReachTheManagerAndAnswersComeBack() {
        answers.put("ping", r -> PingResponse.newBuilder().setPayload(((PingRequest) r).getPayload()).build());
        assertThat(client.ping(PingRequest.newBuilder().setPayload("p").build()).getPayload()).isEqualTo("p");
    }

    @Test
    void aManagerErrorKeepsItsCodeErrnoAndSqlState() {
        answers.put("primaryPosition", r -> {
            throw new TabletManagerException(Code.READ_ONLY, "the server is read-only", 1290, "HY000", null);
        });
        assertThatThrownBy(() -> client.primaryPosition(PrimaryPositionRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(TabletManagerException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.READ_ONLY);
                    assertThat(e.getMessage()).isEqualTo("the server is read-only");
                    assertThat(e.mysqlErrno()).isEqualTo(1290);
                    assertThat(e.sqlState()).isEqualTo("HY000");
                });
    }

    @Test
    void anUnexpectedFailureIsAnInternalError() {
        answers.put("primaryPosition", r -> {
            throw new IllegalStateException("bug");
        });
        assertThatThrownBy(() -> client.primaryPosition(PrimaryPositionRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(TabletManagerException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.INTERNAL);
                    assertThat(e.getMessage()).contains("PrimaryPosition", "bug");
                });
    }

    @Test
    void theCallersDeadlineReachesTheManager() throws Exception {
        AtomicReference<Deadline> seen = new AtomicReference<>();
        answers.put("waitForPosition", r -> {
            seen.set(Context.current().getDeadline());
            return WaitForPositionResponse.getDefaultInstance();
        });
        client.waitForPosition(WaitForPositionRequest.getDefaultInstance());
        assertThat(seen.get()).isNotNull();
        assertThat(seen.get().timeRemaining(TimeUnit.SECONDS)).isBetween(0L, 10L);

        var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (Context.CancellableContext shorter = Context.current().withDeadlineAfter(2, TimeUnit.SECONDS, timer)) {
            shorter.call(() -> client.waitForPosition(WaitForPositionRequest.getDefaultInstance()));
        } finally {
            timer.shutdownNow();
        }
        assertThat(seen.get().timeRemaining(TimeUnit.SECONDS)).isLessThanOrEqualTo(2L);
    }

    @Test
    void rpcsTheTabletDoesNotImplementSaySo() {
        var stub = TabletManagerGrpc.newBlockingStub(channel);
        assertThatThrownBy(() -> stub.preflightSchema(PreflightSchemaRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNIMPLEMENTED);
                    assertThat(e.getStatus().getDescription()).contains("PreflightSchema", "not built");
                });
    }

    @Test
    void dialingNeedsAnAddressAndAnUnreachableTabletIsUnavailable() throws Exception {
        TabletAlias alias = TabletAlias.newBuilder().setCell("zone1").setUid(101).build();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TabletManagerClients clients = new TabletManagerClients(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> clients.dial(Tablet.newBuilder().setAlias(alias).build()))
                    .isInstanceOfSatisfying(TabletManagerException.class, e -> {
                        assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
                        assertThat(e.getMessage()).contains("zone1-0000000101");
                    });
            TabletManagerClient unreachable = clients.dial(Tablet.newBuilder().setAlias(alias)
                    .setHostname("127.0.0.1").putPortMap("grpc", closedPort).build());
            assertThatThrownBy(() -> unreachable.ping(PingRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(TabletManagerException.class, e -> {
                        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("zone1-0000000101", "127.0.0.1:" + closedPort, "Ping");
                    });
        }
    }
}
