package io.tessera.topo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.ManagedProcess;
import io.tessera.testing.TempDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link TopoConn} backend keeps, written once and run against each of them (memory, the
 * embedded store behind a real {@code tessera-topo} process, a real etcd process).
 *
 * <p>Watch contract under test: every change is delivered, in version order, with no gaps; a watcher that cannot
 * be given every change is failed explicitly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TopoConnContractTest {

    /** One backend instance for one test: a fresh, empty namespace. */
    protected interface Backend extends AutoCloseable {
        /** A new, independent connection to this backend's namespace. */
        TopoConn connect() throws Exception;

        /**
         * Takes the lock on {@code dirPath} in a holder that then dies without unlocking (a killed process, or an
         * abandoned connection for in-process stores). Returns once the lock is held and its holder is dead.
         */
        void lockAndDie(String dirPath, Duration ttl) throws Exception;

        @Override
        void close() throws Exception;
    }

    /** Opens the backend under test, with an empty namespace. Called before each test. */
    protected abstract Backend openBackend() throws Exception;

    /**
     * Takes the lock in a new JVM running {@link LockHolderMain} against {@code topoAddress}, then kills that JVM
     * with SIGKILL: a holder that dies without unlocking. Its files (log, temporary files of the libraries it
     * loaded) live in a directory of its own that is removed afterwards.
     */
    protected static void lockInAnotherProcessAndKillIt(String topoAddress, String dirPath, Duration ttl)
            throws Exception {
        Path dir = Files.createTempDirectory("tessera-lockholder");
        try (ManagedProcess p = ManagedProcess.start("lock holder",
                ManagedProcess.javaCommand(LockHolderMain.class.getName(),
                        List.of("-Xmx64m", "-Djava.io.tmpdir=" + dir),
                        List.of(topoAddress, dirPath, Long.toString(ttl.toMillis()))),
                Map.of(), dir, dir.resolve("lockholder.log"))) {
            p.awaitReady(() -> p.logText().contains("LOCKED"), Duration.ofSeconds(60));
            p.killHard();
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private Backend backend;
    private TopoConn conn;
    private final List<TopoConn> extraConns = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openBackendForTest() throws Exception {
        backend = openBackend();
        conn = backend.connect();
    }

    @AfterEach
    void closeBackend() throws Exception {
        for (TopoConn c : extraConns) {
            c.close();
        }
        if (conn != null) {
            conn.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** The default connection of the test. */
    protected TopoConn conn() {
        return conn;
    }

    /** Another independent connection, closed after the test. */
    protected TopoConn newConn() throws Exception {
        TopoConn c = backend.connect();
        extraConns.add(c);
        return c;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(VersionedData d) {
        return new String(d.contents(), StandardCharsets.UTF_8);
    }

    private static TopoException.Code codeOf(ThrowingRunnable r) {
        try {
            r.run();
        } catch (TopoException e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError("expected a TopoException, got " + e, e);
        }
        throw new AssertionError("expected a TopoException, but the call succeeded");
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- files and versions ----

    @Test
    void createThenGetReturnsContentsAndVersion() throws Exception {
        Version v = conn.create("keyspaces/ks/Keyspace", bytes("one"));
        VersionedData d = conn.get("keyspaces/ks/Keyspace");
        assertThat(str(d)).isEqualTo("one");
        assertThat(d.version()).isEqualTo(v);
    }

    @Test
    void createOfExistingFileFailsWithNodeExists() throws Exception {
        conn.create("a/b", bytes("1"));
        assertThat(codeOf(() -> conn.create("a/b", bytes("2")))).isEqualTo(TopoException.Code.NODE_EXISTS);
        assertThat(str(conn.get("a/b"))).isEqualTo("1");
    }

    @Test
    void getOfMissingFileFailsWithNoNode() {
        assertThat(codeOf(() -> conn.get("missing/file"))).isEqualTo(TopoException.Code.NO_NODE);
    }

    @Test
    void emptyContentsRoundTrip() throws Exception {
        conn.create("empty", new byte[0]);
        assertThat(conn.get("empty").contents()).isEmpty();
    }

    @Test
    void binaryContentsRoundTripExactly() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        conn.create("bin", all);
        assertThat(conn.get("bin").contents()).isEqualTo(all);
    }

    @Test
    void updateWithCurrentVersionSucceedsAndGrowsTheVersion() throws Exception {
        Version v1 = conn.create("f", bytes("1"));
        Version v2 = conn.update("f", bytes("2"), v1);
        assertThat(v2.value()).isGreaterThan(v1.value());
        assertThat(conn.get("f")).isEqualTo(new VersionedData(bytes("2"), v2));
    }

    @Test
    void updateWithStaleVersionFailsWithBadVersionAndChangesNothing() throws Exception {
        Version v1 = conn.create("f", bytes("1"));
        Version v2 = conn.update("f", bytes("2"), v1);
        assertThat(codeOf(() -> conn.update("f", bytes("3"), v1))).isEqualTo(TopoException.Code.BAD_VERSION);
        assertThat(conn.get("f")).isEqualTo(new VersionedData(bytes("2"), v2));
    }

    @Test
    void updateWithVersionOfMissingFileFailsWithNoNode() throws Exception {
        Version v = conn.create("other", bytes("x"));
        assertThat(codeOf(() -> conn.update("missing", bytes("1"), v))).isEqualTo(TopoException.Code.NO_NODE);
    }

    @Test
    void unconditionalUpdateCreatesAndReplaces() throws Exception {
        Version v1 = conn.update("u", bytes("1"), null);
        Version v2 = conn.update("u", bytes("2"), null);
        assertThat(v2.value()).isGreaterThan(v1.value());
        assertThat(str(conn.get("u"))).isEqualTo("2");
    }

    @Test
    void versionsGrowAcrossFiles() throws Exception {
        Version a = conn.create("x/a", bytes("a"));
        Version b = conn.create("x/b", bytes("b"));
        Version a2 = conn.update("x/a", bytes("a2"), a);
        assertThat(b.value()).isGreaterThan(a.value());
        assertThat(a2.value()).isGreaterThan(b.value());
    }

    @Test
    void deleteWithVersionChecksIt() throws Exception {
        Version v1 = conn.create("d", bytes("1"));
        Version v2 = conn.update("d", bytes("2"), v1);
        assertThat(codeOf(() -> conn.delete("d", v1))).isEqualTo(TopoException.Code.BAD_VERSION);
        conn.delete("d", v2);
        assertThat(codeOf(() -> conn.get("d"))).isEqualTo(TopoException.Code.NO_NODE);
    }

    @Test
    void deleteOfMissingFileFailsWithNoNode() throws Exception {
        assertThat(codeOf(() -> conn.delete("nothing", null))).isEqualTo(TopoException.Code.NO_NODE);
        Version v = conn.create("something", bytes("1"));
        assertThat(codeOf(() -> conn.delete("nothing", v))).isEqualTo(TopoException.Code.NO_NODE);
    }

    @Test
    void recreatedFileGetsANewerVersion() throws Exception {
        Version v1 = conn.create("r", bytes("1"));
        conn.delete("r", null);
        Version v2 = conn.create("r", bytes("2"));
        assertThat(v2.value()).isGreaterThan(v1.value());
    }

    @Test
    void malformedPathsAreRejected() {
        for (String bad : List.of("", "/abs", "trailing/", "a//b", "a/../b", "./a", "a b", "a/\u00e9")) {
            assertThat(codeOf(() -> conn.get(bad))).as("get(%s)", bad).isEqualTo(TopoException.Code.INVALID_ARGUMENT);
            assertThat(codeOf(() -> conn.create(bad, bytes("x")))).as("create(%s)", bad)
                    .isEqualTo(TopoException.Code.INVALID_ARGUMENT);
        }
    }

    @Test
    void anotherConnectionSeesWritesAtOnce() throws Exception {
        TopoConn other = newConn();
        Version v = conn.create("shared", bytes("s"));
        assertThat(other.get("shared")).isEqualTo(new VersionedData(bytes("s"), v));
    }

    // ---- directories ----

    @Test
    void listDirShowsFilesAndImplicitDirectoriesSorted() throws Exception {
        conn.create("keyspaces/ks2/Keyspace", bytes("k"));
        conn.create("keyspaces/ks1/Keyspace", bytes("k"));
        conn.create("keyspaces/ks1/shards/-80/Shard", bytes("s"));
        conn.create("keyspaces/README", bytes("r"));
        assertThat(conn.listDir("keyspaces")).containsExactly(
                new DirEntry("README", false), new DirEntry("ks1", true), new DirEntry("ks2", true));
        assertThat(conn.listDir("keyspaces/ks1")).containsExactly(
                new DirEntry("Keyspace", false), new DirEntry("shards", true));
        assertThat(conn.listDir("keyspaces/ks1/shards")).containsExactly(new DirEntry("-80", true));
        assertThat(conn.listDir("")).contains(new DirEntry("keyspaces", true));
    }

    @Test
    void listDirOfMissingOrEmptiedDirectoryFailsWithNoNode() throws Exception {
        assertThat(codeOf(() -> conn.listDir("nope"))).isEqualTo(TopoException.Code.NO_NODE);
        conn.create("gone/soon", bytes("x"));
        conn.delete("gone/soon", null);
        assertThat(codeOf(() -> conn.listDir("gone"))).isEqualTo(TopoException.Code.NO_NODE);
    }

    @Test
    void listDirDoesNotConfuseSiblingPrefixes() throws Exception {
        conn.create("ks/a", bytes("1"));
        conn.create("ksx/b", bytes("2"));
        assertThat(conn.listDir("ks")).containsExactly(new DirEntry("a", false));
    }

    // ---- compare-and-set under contention ----

    @Test
    void manyConcurrentWritersOfOneVersionHaveExactlyOneWinner() throws Exception {
        int writers = 12;
        Version start = conn.create("cas/one", bytes("start"));
        List<TopoConn> conns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            conns.add(newConn());
        }
        CyclicBarrier barrier = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                TopoConn c = conns.get(i % conns.size());
                String me = "writer-" + i;
                results.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    try {
                        c.update("cas/one", bytes(me), start);
                        return true;
                    } catch (TopoException e) {
                        if (e.is(TopoException.Code.BAD_VERSION)) {
                            return false;
                        }
                        throw e;
                    }
                }));
            }
            int winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(str(conn.get("cas/one"))).startsWith("writer-");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentReadModifyWriteLoopsLoseNoIncrement() throws Exception {
        int threads = 6;
        int incrementsEach = 15;
        conn.create("cas/counter", bytes("0"));
        Set<Long> winningReadVersions = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                TopoConn c = newConn();
                futures.add(pool.submit(() -> {
                    for (int done = 0; done < incrementsEach; ) {
                        VersionedData d = c.get("cas/counter");
                        int next = Integer.parseInt(str(d)) + 1;
                        try {
                            c.update("cas/counter", bytes(Integer.toString(next)), d.version());
                            assertThat(winningReadVersions.add(d.version().value()))
                                    .as("two writers won with version %s", d.version()).isTrue();
                            done++;
                        } catch (TopoException e) {
                            if (!e.is(TopoException.Code.BAD_VERSION)) {
                                throw e;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(str(conn.get("cas/counter"))).isEqualTo(Integer.toString(threads * incrementsEach));
        assertThat(winningReadVersions).hasSize(threads * incrementsEach);
    }

    // ---- watches ----

    /** Collects a watch's events in arrival order. */
    private static final class Recorder implements java.util.function.Consumer<WatchEvent> {
        final List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch ended = new CountDownLatch(1);
        final long delayMillis;

        Recorder(long delayMillis) {
            this.delayMillis = delayMillis;
        }

        @Override
        public void accept(WatchEvent e) {
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            events.add(e);
            if (!(e instanceof WatchEvent.Changed)) {
                ended.countDown();
            }
        }

        List<WatchEvent> snapshot() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        void awaitCount(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (events.size() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("expected " + n + " watch events, got " + snapshot());
                }
                Thread.sleep(10);
            }
        }
    }

    @Test
    void watchStartsWithTheCurrentValue() throws Exception {
        Version v = conn.create("w/file", bytes("now"));
        try (TopoWatch w = conn.watch("w/file", new Recorder(0))) {
            assertThat(w.initial()).isEqualTo(new VersionedData(bytes("now"), v));
        }
    }

    @Test
    void watchOfMissingFileFailsWithNoNode() {
        assertThat(codeOf(() -> conn.watch("w/missing", e -> {}))).isEqualTo(TopoException.Code.NO_NODE);
    }

    @Test
    void watchDeliversEveryChangeInOrderEvenToASlowListener() throws Exception {
        int updates = 150;
        conn.create("w/seq", bytes("init"));
        Recorder fast = new Recorder(0);
        Recorder slow = new Recorder(2);
        TopoConn writer = newConn();
        try (TopoWatch wf = conn.watch("w/seq", fast); TopoWatch ws = newConn().watch("w/seq", slow)) {
            List<Version> written = new ArrayList<>();
            Version prev = wf.initial().version();
            for (int i = 0; i < updates; i++) {
                prev = writer.update("w/seq", bytes("v" + i), prev);
                written.add(prev);
            }
            fast.awaitCount(updates);
            slow.awaitCount(updates);
            for (Recorder r : List.of(fast, slow)) {
                List<WatchEvent> got = r.snapshot();
                assertThat(got).hasSize(updates);
                for (int i = 0; i < updates; i++) {
                    assertThat(got.get(i)).isEqualTo(new WatchEvent.Changed(new VersionedData(bytes("v" + i),
                            written.get(i))));
                }
            }
        }
    }

    @Test
    void deleteIsTheLastEventOfAWatch() throws Exception {
        Version v = conn.create("w/del", bytes("1"));
        Recorder r = new Recorder(0);
        try (TopoWatch w = conn.watch("w/del", r)) {
            Version v2 = newConn().update("w/del", bytes("2"), v);
            newConn().delete("w/del", v2);
            assertThat(r.ended.await(60, TimeUnit.SECONDS)).as("watch ended after delete").isTrue();
            assertThat(r.snapshot()).containsExactly(
                    new WatchEvent.Changed(new VersionedData(bytes("2"), v2)), new WatchEvent.Deleted());
            // A later file of the same name belongs to a new watch, not this one.
            conn.create("w/del", bytes("again"));
            Thread.sleep(300);
            assertThat(r.snapshot()).hasSize(2);
        }
    }

    @Test
    void watchOnlySeesItsOwnFile() throws Exception {
        Version v = conn.create("w/mine", bytes("1"));
        conn.create("w/mine2", bytes("x"));
        conn.create("w/mine/child", bytes("x"));
        Recorder r = new Recorder(0);
        try (TopoWatch w = conn.watch("w/mine", r)) {
            conn.update("w/mine2", bytes("y"), null);
            conn.update("w/mine/child", bytes("y"), null);
            Version v2 = conn.update("w/mine", bytes("2"), v);
            r.awaitCount(1);
            Thread.sleep(200);
            assertThat(r.snapshot()).containsExactly(new WatchEvent.Changed(new VersionedData(bytes("2"), v2)));
        }
    }

    @Test
    void cancelledWatchReceivesNothingMore() throws Exception {
        Version v = conn.create("w/cancel", bytes("1"));
        Recorder r = new Recorder(0);
        TopoWatch w = conn.watch("w/cancel", r);
        Version v2 = conn.update("w/cancel", bytes("2"), v);
        r.awaitCount(1);
        w.cancel();
        w.cancel();
        conn.update("w/cancel", bytes("3"), v2);
        Thread.sleep(300);
        assertThat(r.snapshot()).containsExactly(new WatchEvent.Changed(new VersionedData(bytes("2"), v2)));
    }

    // ---- locks ----

    @Test
    void lockOnMissingDirectoryFailsWithNoNode() {
        assertThat(codeOf(() -> conn.lock("keyspaces/none", "{}", LockOptions.DEFAULT)))
                .isEqualTo(TopoException.Code.NO_NODE);
    }

    @Test
    void lockContentsSayWhoHoldsIt() throws Exception {
        conn.create("keyspaces/ks/Keyspace", bytes("k"));
        try (LockHandle lock = conn.lock("keyspaces/ks", "{\"Action\":\"test\"}", LockOptions.DEFAULT)) {
            assertThat(lock.dirPath()).isEqualTo("keyspaces/ks");
            assertThat(lock.contents()).isEqualTo("{\"Action\":\"test\"}");
            List<DirEntry> nodes = newConn().listDir("keyspaces/ks/" + TopoPaths.LOCKS_DIR);
            assertThat(nodes).hasSize(1);
            VersionedData d = newConn().get("keyspaces/ks/" + TopoPaths.LOCKS_DIR + "/" + nodes.get(0).name());
            assertThat(str(d)).isEqualTo("{\"Action\":\"test\"}");
            lock.check();
        }
    }

    @Test
    void unlockedLockFailsItsCheckAndUnlockIsIdempotent() throws Exception {
        conn.create("keyspaces/ks/Keyspace", bytes("k"));
        LockHandle lock = conn.lock("keyspaces/ks", "{}", LockOptions.DEFAULT);
        lock.unlock();
        lock.unlock();
        assertThat(codeOf(lock::check)).isEqualTo(TopoException.Code.LOCK_LOST);
        assertThat(codeOf(() -> conn.listDir("keyspaces/ks/" + TopoPaths.LOCKS_DIR)))
                .isEqualTo(TopoException.Code.NO_NODE);
    }

    @Test
    void lockIsMutuallyExclusiveUnderContention() throws Exception {
        conn.create("keyspaces/ks/shards/0/Shard", bytes("s"));
        conn.create("keyspaces/ks/shards/0/counter", bytes("0"));
        int lockers = 5;
        int rounds = 4;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        LockOptions options = new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(90));
        ExecutorService pool = Executors.newFixedThreadPool(lockers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < lockers; i++) {
                TopoConn c = newConn();
                String me = "locker-" + i;
                futures.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        try (LockHandle lock = c.lock("keyspaces/ks/shards/0", me, options)) {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            // A non-CAS read-modify-write: only mutual exclusion keeps the count exact.
                            int n = Integer.parseInt(str(c.get("keyspaces/ks/shards/0/counter")));
                            Thread.sleep(5);
                            c.update("keyspaces/ks/shards/0/counter", bytes(Integer.toString(n + 1)), null);
                            lock.check();
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(str(conn.get("keyspaces/ks/shards/0/counter"))).isEqualTo(Integer.toString(lockers * rounds));
    }

    @Test
    void waiterTimesOutWhileTheLockIsHeldAndLeavesNoTrace() throws Exception {
        conn.create("keyspaces/ks/Keyspace", bytes("k"));
        TopoConn other = newConn();
        try (LockHandle held = conn.lock("keyspaces/ks", "holder", LockOptions.DEFAULT)) {
            LockOptions shortWait = new LockOptions(Duration.ofSeconds(10), Duration.ofMillis(500));
            assertThat(codeOf(() -> other.lock("keyspaces/ks", "waiter", shortWait)))
                    .isEqualTo(TopoException.Code.TIMEOUT);
            assertThat(conn.listDir("keyspaces/ks/" + TopoPaths.LOCKS_DIR)).hasSize(1);
            held.check();
        }
        try (LockHandle second = other.lock("keyspaces/ks", "waiter",
                new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(10)))) {
            second.check();
        }
    }

    @Test
    void waiterGetsTheLockWhenTheHolderUnlocks() throws Exception {
        conn.create("keyspaces/ks/Keyspace", bytes("k"));
        TopoConn other = newConn();
        LockHandle held = conn.lock("keyspaces/ks", "first", LockOptions.DEFAULT);
        CountDownLatch acquired = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().start(() -> {
            try (LockHandle h = other.lock("keyspaces/ks", "second", LockOptions.DEFAULT)) {
                acquired.countDown();
            } catch (TopoException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(acquired.await(500, TimeUnit.MILLISECONDS)).as("acquired while still held").isFalse();
        held.unlock();
        assertThat(acquired.await(30, TimeUnit.SECONDS)).as("acquired after unlock").isTrue();
        waiter.join(30_000);
    }

    @Test
    void closingAConnectionReleasesItsLocks() throws Exception {
        conn.create("keyspaces/ks/Keyspace", bytes("k"));
        TopoConn holder = backend.connect();
        holder.lock("keyspaces/ks", "holder", LockOptions.DEFAULT);
        holder.close();
        try (LockHandle h = newConn().lock("keyspaces/ks", "next",
                new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(10)))) {
            h.check();
        }
    }

    @Test
    void lockOfADeadHolderIsAcquirableAfterItsTtl() throws Exception {
        conn.create("keyspaces/ks/shards/0/Shard", bytes("s"));
        Duration ttl = Duration.ofSeconds(2);
        backend.lockAndDie("keyspaces/ks/shards/0", ttl);
        // Held right after the holder died...
        assertThat(codeOf(() -> conn.lock("keyspaces/ks/shards/0", "impatient",
                new LockOptions(Duration.ofSeconds(10), Duration.ofMillis(200)))))
                .isEqualTo(TopoException.Code.TIMEOUT);
        // ...and released once its lease ran out.
        try (LockHandle h = conn.lock("keyspaces/ks/shards/0", "next",
                new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(60)))) {
            h.check();
            assertThat(conn.listDir("keyspaces/ks/shards/0/" + TopoPaths.LOCKS_DIR)).hasSize(1);
        }
    }

    @Test
    void locksOnDifferentDirectoriesAreIndependent() throws Exception {
        conn.create("keyspaces/a/Keyspace", bytes("k"));
        conn.create("keyspaces/b/Keyspace", bytes("k"));
        LockOptions noWait = new LockOptions(Duration.ofSeconds(10), Duration.ofSeconds(5));
        try (LockHandle a = conn.lock("keyspaces/a", "a", noWait);
                LockHandle b = newConn().lock("keyspaces/b", "b", noWait)) {
            a.check();
            b.check();
        }
    }

    @Test
    void versionsSeenByAllConnectionsAreDistinctPerWrite() throws Exception {
        Set<Long> seen = new HashSet<>();
        TopoConn other = newConn();
        for (int i = 0; i < 20; i++) {
            TopoConn c = i % 2 == 0 ? conn : other;
            assertThat(seen.add(c.update("v/f" + (i % 3), bytes("x" + i), null).value())).isTrue();
        }
    }
}
