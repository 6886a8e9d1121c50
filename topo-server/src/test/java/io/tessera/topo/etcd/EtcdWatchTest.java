package io.tessera.topo.etcd;

import static io.tessera.topo.etcd.EtcdFilesTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.testing.EtcdProcess;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Watches on a real etcd: initial value, every change in order, and the ways a watch ends. */
class EtcdWatchTest extends EtcdTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void watchOfAMissingFileFailsNoNode() {
        TopoConn conn = connect();

        assertCode(() -> conn.watch("missing", e -> {}), Code.NO_NODE);
    }

    @Test
    void everyRapidUpdateArrivesOnceInVersionOrderThenDeleteEndsTheWatch() throws Exception {
        TopoConn writer = connect();
        TopoConn watcher = connect();
        Version v = writer.create("SrvVSchema", bytes("0"));
        Recorder events = new Recorder();

        TopoWatch watch = watcher.watch("SrvVSchema", events);
        assertThat(text(watch.initial().contents())).isEqualTo("0");
        assertThat(watch.initial().version()).isEqualTo(v);

        int updates = 300;
        List<Version> written = new ArrayList<>();
        for (int i = 1; i <= updates; i++) {
            v = writer.update("SrvVSchema", bytes(Integer.toString(i)), v);
            written.add(v);
        }
        writer.delete("SrvVSchema", v);

        for (int i = 1; i <= updates; i++) {
            WatchEvent event = events.next();
            assertThat(event).isInstanceOf(WatchEvent.Changed.class);
            WatchEvent.Changed changed = (WatchEvent.Changed) event;
            assertThat(text(changed.data().contents())).isEqualTo(Integer.toString(i));
            assertThat(changed.data().version()).isEqualTo(written.get(i - 1));
        }
        assertThat(events.next()).isInstanceOf(WatchEvent.Deleted.class);
        assertThat(events.onDeliveryThreads()).hasSize(1);
    }

    @Test
    void aWriteRightAfterTheWatchStartsIsDelivered() throws Exception {
        TopoConn conn = connect();
        Version v = conn.create("f", bytes("a"));
        Recorder events = new Recorder();
        TopoWatch watch = conn.watch("f", events);
        // Likely before etcd has even registered the stream: the watch starts at the revision after its read.
        conn.update("f", bytes("b"), v);

        WatchEvent.Changed changed = (WatchEvent.Changed) events.next();
        assertThat(text(changed.data().contents())).isEqualTo("b");
        assertThat(changed.data().version().value()).isGreaterThan(watch.initial().version().value());
    }

    @Test
    void cancelStopsDeliveryAndIsIdempotent() throws Exception {
        TopoConn conn = connect();
        Version v = conn.create("f", bytes("0"));
        Recorder events = new Recorder();
        TopoWatch watch = conn.watch("f", events);
        v = conn.update("f", bytes("1"), v);
        assertThat(events.next()).isInstanceOf(WatchEvent.Changed.class);

        watch.cancel();
        watch.cancel();
        Recorder witness = new Recorder();
        try (TopoWatch second = conn.watch("f", witness)) {
            conn.update("f", bytes("2"), v);
            // The witness got the write, so the cancelled watch had every chance to deliver it too.
            assertThat(witness.next()).isInstanceOf(WatchEvent.Changed.class);
        }

        assertThat(events.queue).isEmpty();
    }

    @Test
    void closingTheConnectionCancelsItsWatches() throws Exception {
        EtcdTopoConn watcher = connect();
        TopoConn writer = connect();
        Version v = writer.create("f", bytes("0"));
        Recorder events = new Recorder();
        watcher.watch("f", events);

        watcher.close();
        Recorder witness = new Recorder();
        try (TopoWatch second = writer.watch("f", witness)) {
            writer.update("f", bytes("1"), v);
            assertThat(witness.next()).isInstanceOf(WatchEvent.Changed.class);
        }

        assertThat(events.queue).isEmpty();
    }

    @Test
    void aListenerThatFallsTooFarBehindGetsFailedAfterAnUnbrokenPrefix() throws Exception {
        int maxPending = 5;
        EtcdTopoConn watcher = connect(EtcdConnOptions.DEFAULT.withMaxPendingWatchEvents(maxPending));
        TopoConn writer = connect();
        Version v = writer.create("f", bytes("0"));
        CountDownLatch release = new CountDownLatch(1);
        Recorder events = new Recorder(release);
        EtcdWatch watch = (EtcdWatch) watcher.watch("f", events);

        for (int i = 1; i <= 50; i++) {
            v = writer.update("f", bytes(Integer.toString(i)), v);
        }
        await("the watch gives up on its stuck listener").atMost(WAIT).until(watch::ended);
        release.countDown();

        List<WatchEvent> seen = events.untilEnd();
        assertThat(seen.getLast()).isInstanceOfSatisfying(WatchEvent.Failed.class,
                f -> assertThat(f.error().code()).isEqualTo(Code.UNAVAILABLE));
        List<WatchEvent> changes = seen.subList(0, seen.size() - 1);
        assertThat(changes).hasSizeBetween(1, maxPending + 1);
        for (int i = 0; i < changes.size(); i++) {
            WatchEvent.Changed c = (WatchEvent.Changed) changes.get(i);
            assertThat(text(c.data().contents())).isEqualTo(Integer.toString(i + 1));
        }
    }

    @Test
    void aListenerThatThrowsStillGetsLaterEvents() throws Exception {
        TopoConn conn = connect();
        Version v = conn.create("f", bytes("0"));
        BlockingQueue<WatchEvent> seen = new LinkedBlockingQueue<>();
        conn.watch("f", e -> {
            seen.add(e);
            throw new IllegalStateException("listener bug");
        });

        v = conn.update("f", bytes("1"), v);
        conn.update("f", bytes("2"), v);

        assertThat(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(WatchEvent.Changed.class);
        assertThat(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(WatchEvent.Changed.class);
    }

    @Test
    void losingEtcdEndsTheWatchWithFailedAndLaterCallsAreUnavailable() throws Exception {
        try (EtcdProcess doomed = EtcdProcess.start();
                EtcdTopoConn conn = EtcdTopoConn.connect(List.of(doomed.endpoint()), root)) {
            conn.create("f", bytes("0"));
            Recorder events = new Recorder();
            conn.watch("f", events);

            doomed.killHard();

            assertThat(events.next()).isInstanceOfSatisfying(WatchEvent.Failed.class,
                    f -> assertThat(f.error().code()).isEqualTo(Code.UNAVAILABLE));
            assertCode(() -> conn.get("f"), Code.UNAVAILABLE);
        }
    }

    /** Collects a watch's events and the threads that delivered them. */
    static final class Recorder implements java.util.function.Consumer<WatchEvent> {
        final BlockingQueue<WatchEvent> queue = new LinkedBlockingQueue<>();
        private final java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final CountDownLatch gate;

        Recorder() {
            this(new CountDownLatch(0));
        }

        Recorder(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public void accept(WatchEvent event) {
            threads.add(Thread.currentThread());
            try {
                gate.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.add(event);
        }

        WatchEvent next() throws InterruptedException {
            WatchEvent e = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e).as("a watch event within " + WAIT).isNotNull();
            return e;
        }

        List<WatchEvent> untilEnd() throws InterruptedException {
            List<WatchEvent> all = new ArrayList<>();
            while (all.isEmpty() || all.getLast() instanceof WatchEvent.Changed) {
                all.add(next());
            }
            return all;
        }

        java.util.Set<Thread> onDeliveryThreads() {
            return threads;
        }
    }
}
