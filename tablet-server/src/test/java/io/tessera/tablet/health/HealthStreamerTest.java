package io.tessera.tablet.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.tessera.proto.query.StreamHealthRequest;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.queryservice.QueryGrpc;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StreamHealth through a real in-process gRPC server, as a gate sees it. */
class HealthStreamerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TabletAlias ALIAS = TabletAlias.newBuilder().setCell("zone1").setUid(101).build();
    private static final Target REPLICA = Target.newBuilder().setKeyspace("commerce").setShard("0")
            .setTabletType(TabletType.REPLICA).setCell("zone1").build();

    private HealthStreamer streamer;
    private Server server;
    private ManagedChannel channel;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void startServer() throws Exception {
        streamer = new HealthStreamer(ALIAS, HealthReport.notYetChecked(REPLICA));
        String name = InProcessServerBuilder.generateName();
        // The thin adapter the Query service will have: it only hands the call to the streamer.
        server = InProcessServerBuilder.forName(name).addService(new QueryGrpc.QueryImplBase() {
            @Override
            public void streamHealth(StreamHealthRequest request, StreamObserver<StreamHealthResponse> observer) {
                streamer.streamHealth(request, observer);
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stopServer() throws Exception {
        streamer.close();
        channel.shutdownNow();
        server.shutdownNow();
        scheduler.shutdownNow();
        assertThat(channel.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private ClientStream open(boolean manualFlowControl) {
        ClientStream stream = new ClientStream(manualFlowControl);
        QueryGrpc.newStub(channel).streamHealth(StreamHealthRequest.getDefaultInstance(), stream);
        return stream;
    }

    private static HealthReport replicaReport(long lagSeconds) {
        HealthStatus status = lagSeconds > 30 ? HealthStatus.DEGRADED : HealthStatus.HEALTHY;
        return new HealthReport(REPLICA, true, Optional.empty(), Duration.ofSeconds(lagSeconds), Optional.empty(),
                status);
    }

    @Test
    void sendsTheLatestStateAtOnceThenEveryChangeAndStopsWhenTheClientCancels() throws Exception {
        ClientStream stream = open(false);
        StreamHealthResponse first = stream.next();
        assertThat(first).isEqualTo(streamer.latest());
        assertThat(first.getServing()).isFalse();
        assertThat(first.getTarget()).isEqualTo(REPLICA);
        assertThat(first.getTabletAlias()).isEqualTo(ALIAS);
        await().atMost(WAIT).until(() -> streamer.subscriberCount() == 1);

        assertThat(streamer.publish(replicaReport(1))).isTrue();
        StreamHealthResponse serving = stream.next();
        assertThat(serving.getServing()).isTrue();
        assertThat(serving.getRealtimeStats().getReplicationLagSeconds()).isEqualTo(1);
        assertThat(streamer.publish(replicaReport(1))).as("an unchanged state is not a change").isFalse();

        streamer.announceSchemaChange(List.of("t2", "t1"), List.of("v1"));
        StreamHealthResponse announcement = stream.next();
        assertThat(announcement.getRealtimeStats().getTableSchemaChangedList()).containsExactly("t1", "t2");
        assertThat(announcement.getRealtimeStats().getViewSchemaChangedList()).containsExactly("v1");
        assertThat(announcement.getServing()).isTrue();
        streamer.announceSchemaChange(List.of(), List.of());

        assertThat(streamer.publish(replicaReport(40))).isTrue();
        StreamHealthResponse degraded = stream.next();
        assertThat(degraded.getRealtimeStats().getReplicationLagSeconds()).isEqualTo(40);
        assertThat(degraded.getRealtimeStats().getTableSchemaChangedList()).as("announced once only").isEmpty();
        assertThat(stream.messages).isEmpty();

        stream.call.cancel("the gate is done", null);
        await().atMost(WAIT).until(() -> streamer.subscriberCount() == 0);
        assertThat(streamer.publish(replicaReport(2))).isTrue();
    }

    @Test
    void aSlowSubscriberGetsTheLatestStateAndEveryAnnouncedNameNotABacklog() throws Exception {
        ClientStream slow = open(true);
        assertThat(slow.next().getServing()).isFalse();
        ClientStream fast = open(false);
        assertThat(fast.next().getServing()).isFalse();

        streamer.announceSchemaChange(List.of("t1"), List.of());
        for (int lag = 1; lag <= 50; lag++) {
            assertThat(streamer.publish(replicaReport(lag))).isTrue();
        }
        streamer.announceSchemaChange(List.of("t0"), List.of("v"));

        // A subscriber that keeps asking gets states in order, however many it is paced out of, and every name.
        Set<String> fastNames = new TreeSet<>();
        int fastLag = 0;
        while (fastLag < 50 || !fastNames.contains("t0")) {
            StreamHealthResponse r = fast.next();
            assertThat(r.getRealtimeStats().getReplicationLagSeconds()).isGreaterThanOrEqualTo(fastLag);
            fastLag = r.getRealtimeStats().getReplicationLagSeconds();
            fastNames.addAll(r.getRealtimeStats().getTableSchemaChangedList());
        }
        assertThat(fastNames).containsExactly("t0", "t1");

        // The slow one asks for one more and gets one message: the latest state with every announced name.
        slow.call.request(1);
        StreamHealthResponse caughtUp = slow.next();
        assertThat(caughtUp.getRealtimeStats().getReplicationLagSeconds()).isEqualTo(50);
        assertThat(caughtUp.getRealtimeStats().getTableSchemaChangedList()).containsExactly("t0", "t1");
        assertThat(caughtUp.getRealtimeStats().getViewSchemaChangedList()).containsExactly("v");

        // Nothing older was queued behind it: the next message is the next state.
        slow.call.request(1);
        assertThat(streamer.publish(replicaReport(7))).isTrue();
        StreamHealthResponse next = slow.next();
        assertThat(next.getRealtimeStats().getReplicationLagSeconds()).isEqualTo(7);
        assertThat(next.getRealtimeStats().getTableSchemaChangedList()).isEmpty();
    }

    @Test
    void theMonitorPushesEveryIntervalAndAtOnceWhenAskedAfterAChange() throws Exception {
        AtomicReference<TabletState> state = new AtomicReference<>(new TabletState(REPLICA, true, Optional.empty()));
        HealthConfig config = HealthConfig.defaults().withHealthCheckInterval(Duration.ofMillis(100));
        HealthCheck check = new HealthCheck(config, Optional::empty,
                () -> new LagReading.Measured(Duration.ofSeconds(1)), state::get);
        ClientStream stream = open(false);
        stream.next();
        try (HealthMonitor monitor = new HealthMonitor(config, check, streamer, scheduler)) {
            monitor.start();
            // Nothing changes after the first check, yet messages keep coming, each with the same state.
            StreamHealthResponse firstCheck = stream.next();
            assertThat(firstCheck.getServing()).isTrue();
            for (int i = 0; i < 5; i++) {
                assertThat(stream.next()).isEqualTo(firstCheck);
            }

            Instant termStart = Instant.parse("2025-06-01T00:00:00Z");
            Target primary = REPLICA.toBuilder().setTabletType(TabletType.PRIMARY).build();
            state.set(new TabletState(primary, true, Optional.of(termStart)));
            monitor.checkNow().get(30, TimeUnit.SECONDS);
            assertThat(monitor.lastReport().target()).isEqualTo(primary);
            await().atMost(WAIT).untilAsserted(() -> {
                StreamHealthResponse r = stream.next();
                assertThat(r.getTarget()).isEqualTo(primary);
                assertThat(r.getPrimaryTermStartTimestamp()).isEqualTo(termStart.getEpochSecond());
                assertThat(r.getRealtimeStats().getReplicationLagSeconds()).isZero();
            });
        }
    }

    @Test
    void closingTheStreamerEndsStreamsWithUnavailable() throws Exception {
        ClientStream stream = open(false);
        stream.next();
        streamer.close();
        assertThat(stream.end.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        ClientStream late = open(false);
        assertThat(late.end.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(streamer.publish(replicaReport(3))).isFalse();
    }

    @Test
    void closingASubscriptionCompletesItsStream() {
        BlockingQueue<StreamHealthResponse> received = new LinkedBlockingQueue<>();
        CompletableFuture<Void> completed = new CompletableFuture<>();
        HealthSubscription subscription = streamer.subscribe(new StreamObserver<>() {
            @Override
            public void onNext(StreamHealthResponse value) {
                received.add(value);
            }

            @Override
            public void onError(Throwable t) {
                completed.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                completed.complete(null);
            }
        });
        assertThat(received).containsExactly(streamer.latest());
        assertThat(streamer.subscriberCount()).isEqualTo(1);
        subscription.close();
        subscription.close();
        assertThat(completed).isCompleted();
        assertThat(streamer.subscriberCount()).isZero();
        streamer.publish(replicaReport(5));
        assertThat(received).hasSize(1);
    }

    /** A gate's end of the stream. */
    private static final class ClientStream
            implements ClientResponseObserver<StreamHealthRequest, StreamHealthResponse> {
        final BlockingQueue<StreamHealthResponse> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> end = new CompletableFuture<>();
        private final boolean manualFlowControl;
        volatile ClientCallStreamObserver<StreamHealthRequest> call;

        ClientStream(boolean manualFlowControl) {
            this.manualFlowControl = manualFlowControl;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<StreamHealthRequest> requestStream) {
            call = requestStream;
            if (manualFlowControl) {
                requestStream.disableAutoRequestWithInitial(1);
            }
        }

        StreamHealthResponse next() throws InterruptedException {
            StreamHealthResponse message = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message).as("a message within " + WAIT).isNotNull();
            return message;
        }

        @Override
        public void onNext(StreamHealthResponse value) {
            messages.add(value);
        }

        @Override
        public void onError(Throwable t) {
            end.complete(t);
        }

        @Override
        public void onCompleted() {
            end.complete(null);
        }
    }
}
