package io.tessera.topo.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.topo.TopoException;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalStoreWatchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private LocalStore store;
    private LocalTopoConn conn;
    private final CountDownLatch releaseListener = new CountDownLatch(1);

    private void open(int queueCapacity) throws Exception {
        store = LocalStore.open(Persistence.inMemory(), new ManualClock(), queueCapacity);
        conn = store.connect();
    }

    @AfterEach
    void close() {
        releaseListener.countDown();
        if (conn != null) {
            conn.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** A listener that blocks on its first event until the test releases it, then records everything. */
    private Consumer<WatchEvent> slowListener(List<WatchEvent> seen, CountDownLatch firstArrived) {
        return event -> {
            seen.add(event);
            firstArrived.countDown();
            try {
                if (!releaseListener.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never released the listener");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static List<Long> changedVersions(List<WatchEvent> events) {
        List<Long> out = new ArrayList<>();
        for (WatchEvent e : events) {
            if (e instanceof WatchEvent.Changed c) {
                out.add(c.data().version().value());
            }
        }
        return out;
    }

    @Test
    void aSlowListenerGetsEveryChangeInVersionOrder() throws Exception {
        open(LocalStore.DEFAULT_WATCH_QUEUE_CAPACITY);
        Version v = conn.create("Shard", b("0"));
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        TopoWatch watch = conn.watch("Shard", slowListener(seen, first));
        assertThat(watch.initial().version()).isEqualTo(v);

        List<Long> written = new ArrayList<>();
        written.add(conn.update("Shard", b("1"), v).value());
        assertThat(first.await(10, TimeUnit.SECONDS)).as("first event delivered").isTrue();
        // The listener is now stuck on the first event; everything below queues up behind it.
        for (int i = 2; i <= 200; i++) {
            written.add(conn.update("Shard", b(Integer.toString(i)), null).value());
            conn.update("Unrelated", b("x"), null);
        }
        conn.delete("Shard", null);
        releaseListener.countDown();

        await().atMost(WAIT).alias("all events delivered").until(() -> seen.size() == written.size() + 1);
        assertThat(changedVersions(seen)).containsExactlyElementsOf(written);
        assertThat(seen.get(seen.size() - 1)).isInstanceOf(WatchEvent.Deleted.class);
        assertThat(new String(((WatchEvent.Changed) seen.get(199)).data().contents(), UTF_8)).isEqualTo("200");
    }

    @Test
    void aWatcherTooFarBehindGetsFailedAfterWhatWasQueued() throws Exception {
        open(5);
        conn.create("f", b("0"));
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        conn.watch("f", slowListener(seen, first));
        conn.update("f", b("1"), null);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 2; i <= 20; i++) {
            conn.update("f", b(Integer.toString(i)), null);
        }
        releaseListener.countDown();

        await().atMost(WAIT).alias("the watch ends").until(() -> !seen.isEmpty()
                && seen.get(seen.size() - 1) instanceof WatchEvent.Failed);
        assertThat(changedVersions(seen)).hasSize(6).isSorted();
        WatchEvent.Failed failed = (WatchEvent.Failed) seen.get(seen.size() - 1);
        assertThat(failed.error().code()).isEqualTo(TopoException.Code.UNAVAILABLE);
    }

    @Test
    void noEventStartsDeliveryAfterCancelReturns() throws Exception {
        open(LocalStore.DEFAULT_WATCH_QUEUE_CAPACITY);
        conn.create("f", b("0"));
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        TopoWatch watch = conn.watch("f", slowListener(seen, first));
        conn.update("f", b("1"), null);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        conn.update("f", b("2"), null);
        conn.update("f", b("3"), null);

        watch.cancel();
        releaseListener.countDown();
        conn.update("f", b("4"), null);

        // A second watch on the same file sees the later change, so the first had every chance to see it too.
        List<WatchEvent> second = new CopyOnWriteArrayList<>();
        conn.watch("f", second::add);
        conn.update("f", b("5"), null);
        await().atMost(WAIT).until(() -> second.size() == 1);
        assertThat(seen).hasSize(1);
        watch.cancel();
    }

    @Test
    void watchingAMissingFileIsNoNode() throws Exception {
        open(LocalStore.DEFAULT_WATCH_QUEUE_CAPACITY);
        assertThatThrownBy(() -> conn.watch("missing", e -> {}))
                .isInstanceOfSatisfying(TopoException.class,
                        e -> assertThat(e.code()).isEqualTo(TopoException.Code.NO_NODE));
    }

    @Test
    void closingTheConnectionCancelsItsWatchesButNotOthers() throws Exception {
        open(LocalStore.DEFAULT_WATCH_QUEUE_CAPACITY);
        conn.create("f", b("0"));
        LocalTopoConn other = store.connect();
        List<WatchEvent> mine = new CopyOnWriteArrayList<>();
        List<WatchEvent> theirs = new CopyOnWriteArrayList<>();
        other.watch("f", theirs::add);
        conn.watch("f", mine::add);
        other.close();
        conn.update("f", b("1"), null);
        await().atMost(WAIT).until(() -> mine.size() == 1);
        assertThat(theirs).isEmpty();
    }

    @Test
    void closingTheStoreFailsEveryWatch() throws Exception {
        open(LocalStore.DEFAULT_WATCH_QUEUE_CAPACITY);
        conn.create("f", b("0"));
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        conn.watch("f", seen::add);
        store.close();
        await().atMost(WAIT).until(() -> seen.size() == 1);
        assertThat(seen.get(0)).isInstanceOfSatisfying(WatchEvent.Failed.class,
                f -> assertThat(f.error().code()).isEqualTo(TopoException.Code.UNAVAILABLE));
    }

    @Test
    void aThrowingListenerKeepsItsWatch() throws Exception {
        open(LocalStore.DEFAULT_WATCH_QUEUE_CAPACITY);
        conn.create("f", b("0"));
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        conn.watch("f", e -> {
            seen.add(e);
            throw new IllegalStateException("listener bug");
        });
        conn.update("f", b("1"), null);
        conn.update("f", b("2"), null);
        await().atMost(WAIT).until(() -> seen.size() == 2);
    }
}
