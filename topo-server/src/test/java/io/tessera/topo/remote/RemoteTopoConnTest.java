package io.tessera.topo.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.topo.TopoGrpc;
import io.tessera.proto.topo.UnlockRequest;
import io.tessera.testing.FreePorts;
import io.tessera.topo.DirEntry;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.TopoPaths;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import io.tessera.topo.server.InProcessTopoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RemoteTopoConn} against the real service over in-process gRPC, with a memory store behind it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteTopoConnTest {
    private InProcessTopoServer topo;
    private RemoteTopoConn conn;

    @BeforeEach
    void start() throws Exception {
        topo = new InProcessTopoServer();
        conn = topo.client();
    }

    @AfterEach
    void stop() throws Exception {
        topo.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface TopoCall {
        void run() throws Exception;
    }

    private static Code codeOf(TopoCall call) {
        try {
            call.run();
        } catch (TopoException e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError("expected a TopoException, got " + e, e);
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void filesRoundTrip() throws Exception {
        Version v1 = conn.create("keyspaces/ks/Keyspace", bytes("one"));
        assertThat(conn.get("keyspaces/ks/Keyspace")).isEqualTo(new VersionedData(bytes("one"), v1));
        assertThat(topo.backend().get("keyspaces/ks/Keyspace").version()).isEqualTo(v1);
        Version v2 = conn.update("keyspaces/ks/Keyspace", bytes("two"), v1);
        Version v3 = conn.update("keyspaces/ks/VSchema", bytes("{}"), null);
        assertThat(v3.value()).isGreaterThan(v2.value());
        assertThat(conn.listDir("keyspaces/ks")).containsExactly(
                new DirEntry("Keyspace", false), new DirEntry("VSchema", false));
        assertThat(conn.listDir("")).containsExactly(new DirEntry("keyspaces", true));
        conn.delete("keyspaces/ks/Keyspace", v2);
        conn.delete("keyspaces/ks/VSchema", null);
        assertThat(codeOf(() -> conn.listDir("keyspaces"))).isEqualTo(Code.NO_NODE);
    }

    @Test
    void errorsComeBackWithTheirCodes() throws Exception {
        Version v = conn.create("f", bytes("1"));
        assertThat(codeOf(() -> conn.create("f", bytes("2")))).isEqualTo(Code.NODE_EXISTS);
        conn.update("f", bytes("2"), v);
        assertThat(codeOf(() -> conn.update("f", bytes("3"), v))).isEqualTo(Code.BAD_VERSION);
        assertThat(codeOf(() -> conn.delete("f", v))).isEqualTo(Code.BAD_VERSION);
        assertThat(codeOf(() -> conn.get("nope"))).isEqualTo(Code.NO_NODE);
        assertThat(codeOf(() -> conn.update("nope", bytes("1"), v))).isEqualTo(Code.NO_NODE);
        assertThat(codeOf(() -> conn.delete("nope", null))).isEqualTo(Code.NO_NODE);
        assertThat(codeOf(() -> conn.get("a//b"))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> conn.listDir("/"))).isEqualTo(Code.INVALID_ARGUMENT);
    }

    @Test
    void watchDeliversInitialChangesAndDeleteInOrder() throws Exception {
        Version v1 = conn.create("w", bytes("0"));
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        try (TopoWatch w = conn.watch("w", events::add)) {
            assertThat(w.initial()).isEqualTo(new VersionedData(bytes("0"), v1));
            Version prev = v1;
            for (int i = 1; i <= 50; i++) {
                prev = topo.backend().update("w", bytes(Integer.toString(i)), prev);
                assertThat(events.poll(20, TimeUnit.SECONDS))
                        .isEqualTo(new WatchEvent.Changed(new VersionedData(bytes(Integer.toString(i)), prev)));
            }
            topo.backend().delete("w", prev);
            assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo(new WatchEvent.Deleted());
        }
    }

    @Test
    void watchOfMissingFileFailsWithNoNode() {
        assertThat(codeOf(() -> conn.watch("missing", e -> { }))).isEqualTo(Code.NO_NODE);
    }

    @Test
    void cancelledWatchDeliversNothingMore() throws Exception {
        Version v = conn.create("w", bytes("0"));
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        TopoWatch w = conn.watch("w", events::add);
        Version v2 = conn.update("w", bytes("1"), v);
        assertThat(events.poll(20, TimeUnit.SECONDS)).isInstanceOf(WatchEvent.Changed.class);
        w.cancel();
        w.cancel();
        conn.update("w", bytes("2"), v2);
        // A watch that had not been cancelled would see this write before the next one's watch does.
        BlockingQueue<WatchEvent> probe = new LinkedBlockingQueue<>();
        try (TopoWatch p = conn.watch("w", probe::add)) {
            conn.update("w", bytes("3"), null);
            assertThat(probe.poll(20, TimeUnit.SECONDS)).isInstanceOf(WatchEvent.Changed.class);
        }
        assertThat(events).isEmpty();
    }

    @Test
    void watchFailsWhenTheServerGoesAway() throws Exception {
        conn.create("w", bytes("0"));
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        conn.watch("w", events::add);
        topo.stopServer();
        WatchEvent e = events.poll(30, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(WatchEvent.Failed.class);
        assertThat(((WatchEvent.Failed) e).error().code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(codeOf(() -> conn.get("w"))).isEqualTo(Code.UNAVAILABLE);
    }

    @Test
    void lockIsKeptAliveBeyondItsTtlUntilUnlocked() throws Exception {
        conn.create("ks/Keyspace", bytes("k"));
        TopoConn other = topo.client();
        LockOptions shortTtl = new LockOptions(Duration.ofSeconds(1), Duration.ofSeconds(5));
        LockHandle lock = conn.lock("ks", "{\"Action\":\"keepalive\"}", shortTtl);
        assertThat(lock.dirPath()).isEqualTo("ks");
        assertThat(lock.contents()).isEqualTo("{\"Action\":\"keepalive\"}");
        // The other locker waits three ttls; the keep-alives must hold the lock through all of them.
        assertThat(codeOf(() -> other.lock("ks", "other", new LockOptions(Duration.ofSeconds(1), Duration.ofSeconds(3)))))
                .isEqualTo(Code.TIMEOUT);
        lock.check();
        lock.unlock();
        lock.unlock();
        assertThat(codeOf(lock::check)).isEqualTo(Code.LOCK_LOST);
        try (LockHandle next = other.lock("ks", "other", shortTtl)) {
            next.check();
        }
    }

    @Test
    void lockReleasedBehindTheHoldersBackIsReportedLost() throws Exception {
        conn.create("ks/Keyspace", bytes("k"));
        LockHandle lock = conn.lock("ks", "held", new LockOptions(Duration.ofSeconds(30), Duration.ofSeconds(5)));
        // Release it by id, as if the server had reaped it.
        String id = ((RemoteLock) lock).lockId();
        TopoGrpc.newBlockingStub(topo.channel()).unlock(UnlockRequest.newBuilder().setLockId(id).build());
        assertThat(codeOf(lock::check)).isEqualTo(Code.LOCK_LOST);
        assertThat(codeOf(lock::check)).isEqualTo(Code.LOCK_LOST);
        lock.unlock();
    }

    @Test
    void lockWaitIsInterruptible() throws Exception {
        conn.create("ks/Keyspace", bytes("k"));
        try (LockHandle held = topo.backend().lock("ks", "held", LockOptions.DEFAULT)) {
            CompletableFuture<Code> result = new CompletableFuture<>();
            Thread waiter = Thread.ofPlatform().start(() -> result.complete(codeOf(() -> conn.lock("ks", "waiter",
                    new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(60))))));
            // Interrupt only once the waiter's request is queued behind the holder on the server.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (topo.backend().listDir("ks/" + TopoPaths.LOCKS_DIR).size() < 2) {
                assertThat(System.nanoTime()).as("waiter queued").isLessThan(deadline);
                Thread.sleep(10);
            }
            waiter.interrupt();
            assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo(Code.INTERRUPTED);
            waiter.join(20_000);
            // The client learns of its cancellation before the server does; the server must then take the waiter's
            // request out of the line while the lock is still held. (Releasing the holder first would race with
            // that: the server could grant the lock to the departed waiter, which then keeps it for one ttl.)
            while (topo.backend().listDir("ks/" + TopoPaths.LOCKS_DIR).size() > 1) {
                assertThat(System.nanoTime()).as("abandoned request withdrawn").isLessThan(deadline);
                Thread.sleep(10);
            }
        }
        // The abandoned wait took nothing: the lock is free for the next caller at once.
        try (LockHandle next = conn.lock("ks", "next", new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(5)))) {
            next.check();
        }
    }

    @Test
    void closeReleasesLocksCancelsWatchesAndRefusesCalls() throws Exception {
        conn.create("ks/Keyspace", bytes("k"));
        conn.lock("ks", "held", LockOptions.DEFAULT);
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        conn.watch("ks/Keyspace", events::add);
        conn.close();
        conn.close();
        assertThat(codeOf(() -> conn.get("ks/Keyspace"))).isEqualTo(Code.UNAVAILABLE);
        TopoConn other = topo.client();
        try (LockHandle next = other.lock("ks", "next", new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(5)))) {
            next.check();
        }
        other.update("ks/Keyspace", bytes("changed"), null);
        BlockingQueue<WatchEvent> probe = new LinkedBlockingQueue<>();
        try (TopoWatch p = other.watch("ks/Keyspace", probe::add)) {
            other.update("ks/Keyspace", bytes("again"), null);
            assertThat(probe.poll(20, TimeUnit.SECONDS)).isInstanceOf(WatchEvent.Changed.class);
        }
        assertThat(events).isEmpty();
    }

    @Test
    void serverNobodyListensOnIsUnavailable() throws Exception {
        int port = FreePorts.next();
        try (RemoteTopoConn nobody = RemoteTopoConn.connect("grpc://127.0.0.1:" + port,
                new RemoteTopoOptions(Duration.ofSeconds(10)))) {
            TopoException e = (TopoException) catchTopo(() -> nobody.get("x"));
            assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getMessage()).contains("127.0.0.1:" + port);
            assertThat(codeOf(() -> nobody.watch("x", ev -> { }))).isEqualTo(Code.UNAVAILABLE);
            assertThat(codeOf(() -> nobody.lock("x", "", LockOptions.DEFAULT))).isEqualTo(Code.UNAVAILABLE);
        }
    }

    private static Exception catchTopo(TopoCall call) {
        try {
            call.run();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void addressesAreHostPortWithAnOptionalScheme() {
        assertThat(RemoteTopoConn.parseAddress("grpc://127.0.0.1:15990").getPort()).isEqualTo(15990);
        assertThat(RemoteTopoConn.parseAddress("topo.example:15990").getHost()).isEqualTo("topo.example");
        assertThat(RemoteTopoConn.parseAddress("[::1]:15990").getHost()).isEqualTo("::1");
        for (String bad : List.of("", "127.0.0.1", "grpc://", "etcd://h:1/x", "h:notaport")) {
            assertThatThrownBy(() -> RemoteTopoConn.parseAddress(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
