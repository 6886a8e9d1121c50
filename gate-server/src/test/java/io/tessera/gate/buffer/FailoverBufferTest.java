package io.tessera.gate.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.topodata.TabletAlias;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The failover buffer on its own: when it buffers, when it lets requests go, and how they fail. */
class FailoverBufferTest {
    private static final String KS = "commerce";
    private static final String SHARD = "0";
    private static final TabletAlias OLD = TabletAlias.newBuilder().setCell("zone1").setUid(101).build();
    private static final TabletAlias NEW = TabletAlias.newBuilder().setCell("zone1").setUid(102).build();
    private static final BufferConfig ON = BufferConfig.defaults().withEnabled(true)
            .withWindow(Duration.ofSeconds(30)).withMaxFailoverDuration(Duration.ofSeconds(60));

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<FailoverBuffer> buffers = new ArrayList<>();

    private FailoverBuffer buffer(BufferConfig config) {
        FailoverBuffer b = new FailoverBuffer(config, registry);
        buffers.add(b);
        b.primaryChanged(KS, SHARD, OLD);
        return b;
    }

    @AfterEach
    void tearDown() {
        buffers.forEach(FailoverBuffer::close);
    }

    /** Runs {@code call} on a virtual thread, as the gate's callers are. */
    private static <T> CompletableFuture<T> async(Supplier<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(call.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private static TesseraException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (TesseraException) e.getCause();
        }
        throw new AssertionError("expected the request to fail");
    }

    private double requests(String outcome) {
        return counter("tessera_gate_buffer_requests", outcome);
    }

    private double counter(String name, String outcome) {
        for (MetricSnapshot s : registry.scrape()) {
            if (!s.getMetadata().getPrometheusName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot p : s.getDataPoints()) {
                if (outcome == null || outcome.equals(p.getLabels().get("outcome"))) {
                    return ((CounterSnapshot.CounterDataPointSnapshot) p).getValue();
                }
            }
        }
        return 0;
    }

    @Test
    void whenDisabledNothingWaits() {
        FailoverBuffer b = buffer(BufferConfig.defaults());

        assertThat(b.waitAfterPrimaryError(KS, SHARD, OLD)).isEmpty();
        assertThat(b.waitForPrimary(KS, SHARD)).isEmpty();
        b.primaryChanged(KS, SHARD, null);
        assertThat(b.waitIfFailingOver(KS, SHARD)).isEmpty();
        assertThat(b.isFailingOver(KS, SHARD)).isFalse();
    }

    @Test
    void aRefusedRequestWaitsForANewPrimary() throws Exception {
        FailoverBuffer b = buffer(ON);

        CompletableFuture<Optional<DrainSlot>> first = async(() -> b.waitAfterPrimaryError(KS, SHARD, OLD));
        await().until(() -> b.bufferedRequests() == 1);
        assertThat(b.isFailingOver(KS, SHARD)).isTrue();
        CompletableFuture<Optional<DrainSlot>> second = async(() -> b.waitIfFailingOver(KS, SHARD));
        await().until(() -> b.bufferedRequests() == 2);

        b.primaryChanged(KS, SHARD, null); // the old primary leaves rotation: still waiting
        assertThat(first).isNotDone();
        b.primaryChanged(KS, SHARD, NEW);

        first.get(30, TimeUnit.SECONDS).orElseThrow().close();
        second.get(30, TimeUnit.SECONDS).orElseThrow().close();
        assertThat(b.isFailingOver(KS, SHARD)).isFalse();
        assertThat(b.bufferedRequests()).isZero();
        assertThat(requests("drained")).isEqualTo(2.0);
        assertThat(counter("tessera_gate_buffer_failovers", null)).isEqualTo(1.0);
        // Over: requests go straight on.
        assertThat(b.waitIfFailingOver(KS, SHARD)).isEmpty();
    }

    @Test
    void theOldPrimaryServingAgainAfterAGapEndsTheFailover() throws Exception {
        FailoverBuffer b = buffer(ON);
        CompletableFuture<Optional<DrainSlot>> waiting = async(() -> b.waitAfterPrimaryError(KS, SHARD, OLD));
        await().until(() -> b.bufferedRequests() == 1);

        b.primaryChanged(KS, SHARD, OLD); // no gap seen yet: the same primary does not end it
        assertThat(b.isFailingOver(KS, SHARD)).isTrue();
        b.primaryChanged(KS, SHARD, null);
        b.primaryChanged(KS, SHARD, OLD);

        waiting.get(30, TimeUnit.SECONDS).orElseThrow().close();
        assertThat(b.isFailingOver(KS, SHARD)).isFalse();
    }

    @Test
    void aRequestThatRacedWithTheSwitchIsResentAtOnce() {
        FailoverBuffer b = buffer(ON);
        b.primaryChanged(KS, SHARD, NEW);

        assertThat(b.waitAfterPrimaryError(KS, SHARD, OLD)).contains(DrainSlot.NONE);
        assertThat(b.isFailingOver(KS, SHARD)).isFalse();
    }

    @Test
    void thePrimaryLeavingRotationStartsAFailover() throws Exception {
        FailoverBuffer b = buffer(ON);

        b.primaryChanged(KS, SHARD, null);

        assertThat(b.isFailingOver(KS, SHARD)).isTrue();
        CompletableFuture<Optional<DrainSlot>> waiting = async(() -> b.waitForPrimary(KS, SHARD));
        await().until(() -> b.bufferedRequests() == 1);
        b.primaryChanged(KS, SHARD, NEW);
        waiting.get(30, TimeUnit.SECONDS).orElseThrow().close();
    }

    @Test
    void aShardThatNeverHadAPrimaryIsNotBuffered() {
        FailoverBuffer b = new FailoverBuffer(ON, registry);
        buffers.add(b);

        assertThat(b.waitForPrimary(KS, "-80")).isEmpty();
        assertThat(b.isFailingOver(KS, "-80")).isFalse();
    }

    @Test
    void aRequestWaitsAtMostItsWindow() throws Exception {
        FailoverBuffer b = buffer(ON.withWindow(Duration.ofMillis(200)));

        TesseraException e = failure(async(() -> b.waitAfterPrimaryError(KS, SHARD, OLD)));

        assertThat(e.kind()).isEqualTo(ErrorKind.BUFFER_WINDOW_EXCEEDED);
        assertThat(e.getMessage()).contains("--buffer_window");
        assertThat(b.bufferedRequests()).isZero();
        assertThat(requests("window_exceeded")).isEqualTo(1.0);
        assertThat(b.isFailingOver(KS, SHARD)).isTrue(); // the failover itself goes on
    }

    @Test
    void aFailoverLongerThanTheMaximumEndsAndFailsItsRequests() throws Exception {
        FailoverBuffer b = buffer(ON.withMaxFailoverDuration(Duration.ofMillis(300)));
        CompletableFuture<Optional<DrainSlot>> first = async(() -> b.waitAfterPrimaryError(KS, SHARD, OLD));
        await().until(() -> b.bufferedRequests() == 1);
        CompletableFuture<Optional<DrainSlot>> second = async(() -> b.waitIfFailingOver(KS, SHARD));

        for (CompletableFuture<?> f : List.of(first, second)) {
            TesseraException e = failure(f);
            assertThat(e.kind()).isEqualTo(ErrorKind.BUFFER_WINDOW_EXCEEDED);
        }
        assertThat(b.isFailingOver(KS, SHARD)).isFalse();
        assertThat(b.bufferedRequests()).isZero();
    }

    @Test
    void aFullBufferRefusesTheNextRequestAtOnce() throws Exception {
        FailoverBuffer b = buffer(ON.withSize(2));
        b.primaryChanged("other", SHARD, OLD);
        List<CompletableFuture<Optional<DrainSlot>>> waiting = List.of(
                async(() -> b.waitAfterPrimaryError(KS, SHARD, OLD)),
                async(() -> b.waitAfterPrimaryError("other", SHARD, OLD)));
        await().until(() -> b.bufferedRequests() == 2);

        // The size is shared by all shards.
        assertThatThrownBy(() -> b.waitIfFailingOver(KS, SHARD)).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.BUFFER_FULL));
        assertThat(requests("full")).isEqualTo(1.0);

        b.primaryChanged(KS, SHARD, NEW);
        b.primaryChanged("other", SHARD, NEW);
        for (CompletableFuture<Optional<DrainSlot>> f : waiting) {
            f.get(30, TimeUnit.SECONDS).orElseThrow().close();
        }
    }

    @Test
    void aSecondFailoverTooSoonIsNotBuffered() throws Exception {
        FailoverBuffer b = buffer(ON.withMinTimeBetweenFailovers(Duration.ofHours(1)));
        CompletableFuture<Optional<DrainSlot>> waiting = async(() -> b.waitAfterPrimaryError(KS, SHARD, OLD));
        await().until(() -> b.bufferedRequests() == 1);
        b.primaryChanged(KS, SHARD, NEW);
        waiting.get(30, TimeUnit.SECONDS).orElseThrow().close();

        assertThat(b.waitAfterPrimaryError(KS, SHARD, NEW)).isEmpty();
        b.primaryChanged(KS, SHARD, null);
        assertThat(b.isFailingOver(KS, SHARD)).isFalse();
        assertThat(b.waitForPrimary(KS, SHARD)).isEmpty();
        assertThat(requests("skipped")).isEqualTo(2.0);
    }

    @Test
    void withoutAMinimumGapEveryFailoverIsBuffered() throws Exception {
        FailoverBuffer b = buffer(ON.withMinTimeBetweenFailovers(Duration.ZERO));
        for (TabletAlias[] step : new TabletAlias[][] {{OLD, NEW}, {NEW, OLD}}) {
            CompletableFuture<Optional<DrainSlot>> waiting =
                    async(() -> b.waitAfterPrimaryError(KS, SHARD, step[0]));
            await().until(() -> b.bufferedRequests() == 1);
            b.primaryChanged(KS, SHARD, step[1]);
            waiting.get(30, TimeUnit.SECONDS).orElseThrow().close();
        }
        assertThat(counter("tessera_gate_buffer_failovers", null)).isEqualTo(2.0);
    }

    @Test
    void requestsAreReleasedInArrivalOrderOneAtATime() throws Exception {
        FailoverBuffer b = buffer(ON);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            requests.add(async(() -> {
                Optional<DrainSlot> slot = n == 0 ? b.waitAfterPrimaryError(KS, SHARD, OLD)
                        : b.waitIfFailingOver(KS, SHARD);
                try (DrainSlot s = slot.orElseThrow()) {
                    order.add(n); // the next request is released only once this slot closes
                }
                return n;
            }));
            await().until(() -> b.bufferedRequests() == n + 1);
        }

        b.primaryChanged(KS, SHARD, NEW);

        for (CompletableFuture<Integer> f : requests) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aRequestWhoseStatementIsCancelledLeavesTheBufferAtOnce() throws Exception {
        FailoverBuffer b = buffer(ON);
        Context.CancellableContext statement = Context.current().withCancellation();
        CompletableFuture<Optional<DrainSlot>> killed = async(() -> {
            Context previous = statement.attach();
            try {
                return b.waitAfterPrimaryError(KS, SHARD, OLD);
            } finally {
                statement.detach(previous);
            }
        });
        await().until(() -> b.bufferedRequests() == 1);
        CompletableFuture<Optional<DrainSlot>> other = async(() -> b.waitIfFailingOver(KS, SHARD));
        await().until(() -> b.bufferedRequests() == 2);

        statement.cancel(null); // KILL QUERY of the first request's statement

        assertThat(failure(killed).kind()).isEqualTo(ErrorKind.CANCELED);
        assertThat(b.bufferedRequests()).isOne();
        assertThat(b.isFailingOver(KS, SHARD)).isTrue();
        b.primaryChanged(KS, SHARD, NEW);
        other.get(30, TimeUnit.SECONDS).orElseThrow().close();
        assertThat(requests("drained")).isEqualTo(1.0);
        assertThat(b.bufferedRequests()).isZero();
    }

    @Test
    void closingFailsTheWaitingRequests() throws Exception {
        FailoverBuffer b = buffer(ON);
        CompletableFuture<Optional<DrainSlot>> waiting = async(() -> b.waitAfterPrimaryError(KS, SHARD, OLD));
        await().until(() -> b.bufferedRequests() == 1);

        b.close();

        assertThat(failure(waiting).kind()).isEqualTo(ErrorKind.CANCELED);
        assertThat(b.bufferedRequests()).isZero();
    }
}
