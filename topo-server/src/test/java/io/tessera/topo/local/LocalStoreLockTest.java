package io.tessera.topo.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessera.topo.DirEntry;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalStoreLockTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LockOptions HOLD = new LockOptions(Duration.ofSeconds(3), Duration.ofSeconds(20));

    private final ManualClock clock = new ManualClock();
    private final TestPersistence persistence = new TestPersistence();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private LocalStore store;
    private LocalTopoConn conn;

    @BeforeEach
    void open() throws Exception {
        store = LocalStore.open(persistence, clock);
        conn = store.connect();
        conn.create("keyspaces/ks/Keyspace", "ks".getBytes(UTF_8));
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("test threads ended").isTrue();
        conn.close();
        store.close();
    }

    private static Code codeOf(Future<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopoException te) {
                return te.code();
            }
            throw e;
        }
        throw new AssertionError("expected the call to fail");
    }

    private List<DirEntry> lockFiles() {
        try {
            return conn.listDir("keyspaces/ks/locks");
        } catch (TopoException e) {
            assertThat(e.code()).isEqualTo(Code.NO_NODE);
            return List.of();
        }
    }

    /** Waits until some lease was renewed to the given deadline. */
    private void awaitRenewalTo(long deadlineMillis) {
        await().atMost(WAIT).alias("a lease renewed to " + deadlineMillis).until(() -> persistence.written().stream()
                .flatMap(c -> c.putLeases().values().stream())
                .anyMatch(l -> l.deadlineMillis() == deadlineMillis));
    }

    private Future<LockHandle> lockInBackground(LocalTopoConn c, String who, LockOptions options) {
        return threads.submit(() -> c.lock("keyspaces/ks", who, options));
    }

    @Test
    void lockWritesALockFileThatUnlockRemoves() throws Exception {
        LockHandle lock = conn.lock("keyspaces/ks", "reparent by alice", HOLD);
        assertThat(lock.dirPath()).isEqualTo("keyspaces/ks");
        assertThat(lock.contents()).isEqualTo("reparent by alice");
        List<DirEntry> files = lockFiles();
        assertThat(files).hasSize(1);
        assertThat(new String(conn.get("keyspaces/ks/locks/" + files.get(0).name()).contents(), UTF_8))
                .isEqualTo("reparent by alice");
        lock.check();

        lock.unlock();
        assertThat(lockFiles()).isEmpty();
        TopoException lost = assertThrows(TopoException.class, lock::check);
        assertThat(lost.code()).isEqualTo(Code.LOCK_LOST);
        lock.unlock();
    }

    @Test
    void lockingADirectoryWithNothingBelowIsNoNode() {
        TopoException e = assertThrows(TopoException.class,
                () -> conn.lock("keyspaces/other", "x", HOLD));
        assertThat(e.code()).isEqualTo(Code.NO_NODE);
        assertThat(lockFiles()).isEmpty();
    }

    @Test
    void lockersAreServedInArrivalOrder() throws Exception {
        LockHandle first = conn.lock("keyspaces/ks", "first", HOLD);
        List<String> order = new CopyOnWriteArrayList<>();
        LocalTopoConn c2 = store.connect();
        LocalTopoConn c3 = store.connect();
        Future<LockHandle> second = threads.submit(() -> {
            LockHandle h = c2.lock("keyspaces/ks", "second", HOLD);
            order.add("second");
            return h;
        });
        await().atMost(WAIT).alias("second queued").until(() -> lockFiles().size() == 2);
        Future<LockHandle> third = threads.submit(() -> {
            LockHandle h = c3.lock("keyspaces/ks", "third", HOLD);
            order.add("third");
            return h;
        });
        await().atMost(WAIT).alias("third queued").until(() -> lockFiles().size() == 3);

        first.unlock();
        LockHandle secondHandle = second.get(10, TimeUnit.SECONDS);
        assertThat(order).containsExactly("second");
        assertThat(third).isNotDone();
        secondHandle.unlock();
        third.get(10, TimeUnit.SECONDS).unlock();
        assertThat(order).containsExactly("second", "third");
        c2.close();
        c3.close();
    }

    @Test
    void aTimedOutLockerRemovesItsOwnRequest() throws Exception {
        LockHandle held = conn.lock("keyspaces/ks", "holder", HOLD);
        LocalTopoConn other = store.connect();
        Future<LockHandle> waiting =
                lockInBackground(other, "waiter", new LockOptions(Duration.ofSeconds(3), Duration.ofMillis(200)));
        assertThat(codeOf(waiting)).isEqualTo(Code.TIMEOUT);
        assertThat(lockFiles()).hasSize(1);
        held.check();
        held.unlock();
        other.close();
    }

    @Test
    void anInterruptedLockerRemovesItsOwnRequest() throws Exception {
        LockHandle held = conn.lock("keyspaces/ks", "holder", HOLD);
        CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
        Future<LockHandle> waiting = threads.submit(() -> {
            try {
                return conn.lock("keyspaces/ks", "waiter", HOLD);
            } finally {
                flagKept.complete(Thread.currentThread().isInterrupted());
            }
        });
        await().atMost(WAIT).until(() -> lockFiles().size() == 2);
        waiting.cancel(true);
        assertThat(flagKept.get(10, TimeUnit.SECONDS)).as("interrupt flag kept").isTrue();
        await().atMost(WAIT).alias("request removed").until(() -> lockFiles().size() == 1);
        held.unlock();
    }

    @Test
    void aDeadHoldersLockIsReleasedWhenItsLeaseExpires() throws Exception {
        LocalTopoConn dead = store.connect();
        LockHandle deadLock = dead.lock("keyspaces/ks", "dead", HOLD);
        dead.abandon();
        dead.close();
        Future<LockHandle> next = lockInBackground(conn, "next", HOLD);
        await().atMost(WAIT).until(() -> lockFiles().size() == 2);
        assertThat(next).isNotDone();

        // Move time in two steps, as it really moves: the waiter renews its lease in between, the dead holder
        // does not, so only the dead holder's lease runs out.
        long deadDeadline = clock.millis() + HOLD.ttl().toMillis();
        clock.advance(Duration.ofSeconds(2));
        awaitRenewalTo(clock.millis() + HOLD.ttl().toMillis());
        clock.advance(Duration.ofMillis(deadDeadline - clock.millis()));
        LockHandle mine = next.get(10, TimeUnit.SECONDS);
        mine.check();
        TopoException lost = assertThrows(TopoException.class, deadLock::check);
        assertThat(lost.code()).isEqualTo(Code.LOCK_LOST);
        mine.unlock();
    }

    @Test
    void aHolderPausedPastItsTtlHasLostTheLockForGood() throws Exception {
        LockHandle lock = conn.lock("keyspaces/ks", "slow", HOLD);
        clock.advance(HOLD.ttl());
        TopoException lost = assertThrows(TopoException.class, lock::check);
        assertThat(lost.code()).isEqualTo(Code.LOCK_LOST);
        await().atMost(WAIT).alias("expired lock removed").until(() -> lockFiles().isEmpty());
        lock.unlock();
    }

    @Test
    void renewalKeepsTheLockPastItsFirstDeadline() throws Exception {
        long start = clock.millis();
        LockHandle lock = conn.lock("keyspaces/ks", "renewed", HOLD);
        clock.advance(Duration.ofSeconds(2));
        awaitRenewalTo(start + 2_000 + HOLD.ttl().toMillis());
        clock.advance(Duration.ofSeconds(2));
        lock.check();
        assertThat(lockFiles()).hasSize(1);
        lock.unlock();
    }

    @Test
    void closingAConnectionReleasesItsLocksAndWithdrawsItsRequests() throws Exception {
        LocalTopoConn other = store.connect();
        LockHandle held = other.lock("keyspaces/ks", "held", HOLD);
        LocalTopoConn third = store.connect();
        third.create("keyspaces/ks2/Keyspace", new byte[0]);
        LockHandle blocker = third.lock("keyspaces/ks2", "blocker", HOLD);
        Future<LockHandle> waiting = threads.submit(() -> other.lock("keyspaces/ks2", "waiting", HOLD));
        await().atMost(WAIT).until(() -> conn.listDir("keyspaces/ks2/locks").size() == 2);

        other.close();
        assertThat(codeOf(waiting)).isEqualTo(Code.UNAVAILABLE);
        assertThat(lockFiles()).isEmpty();
        assertThat(conn.listDir("keyspaces/ks2/locks")).hasSize(1);
        TopoException lost = assertThrows(TopoException.class, held::check);
        assertThat(lost.code()).isEqualTo(Code.LOCK_LOST);
        blocker.unlock();
        third.close();
    }

    @Test
    void aLockOutlivesARestartOfTheStoreUntilItsLeaseRunsOut() throws Exception {
        conn.lock("keyspaces/ks", "held across restart", HOLD);
        store.close();

        store = LocalStore.open(persistence, clock);
        conn = store.connect();
        assertThat(lockFiles()).hasSize(1);
        LockOptions noWait = new LockOptions(Duration.ofSeconds(3), Duration.ZERO);
        TopoException busy = assertThrows(TopoException.class,
                () -> conn.lock("keyspaces/ks", "impatient", noWait));
        assertThat(busy.code()).isEqualTo(Code.TIMEOUT);

        clock.advance(HOLD.ttl());
        await().atMost(WAIT).alias("the old lease expired").until(() -> lockFiles().isEmpty());
        conn.lock("keyspaces/ks", "next", noWait).unlock();
    }

    @Test
    void leasesThatExpiredWhileTheStoreWasClosedAreGoneAtOpen() throws Exception {
        conn.lock("keyspaces/ks", "held", HOLD);
        store.close();
        clock.advance(HOLD.ttl());

        store = LocalStore.open(persistence, clock);
        conn = store.connect();
        assertThat(lockFiles()).isEmpty();
        assertThat(conn.listDir("keyspaces/ks")).containsExactly(new DirEntry("Keyspace", false));
    }
}
