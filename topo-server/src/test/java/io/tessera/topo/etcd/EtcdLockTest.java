package io.tessera.topo.etcd;

import static io.tessera.topo.etcd.EtcdFilesTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.tessera.testing.ManagedProcess;
import io.tessera.topo.DirEntry;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lease-based directory locks on a real etcd. */
class EtcdLockTest extends EtcdTestBase {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final LockOptions SHORT_TTL = new LockOptions(Duration.ofSeconds(2), WAIT);
    private static final String DIR = "keyspaces/ks/shards/-80";

    @Test
    void lockOfADirectoryWithNothingBelowItFailsNoNode() {
        TopoConn conn = connect();

        assertCode(() -> conn.lock("keyspaces/none", "x", LockOptions.DEFAULT), Code.NO_NODE);
    }

    @Test
    void theLockIsANodeBelowTheDirectoryHoldingTheContents() throws Exception {
        TopoConn conn = connect();
        conn.create(DIR + "/Shard", bytes("s"));

        try (LockHandle lock = conn.lock(DIR, "{\"action\":\"PlannedReparentShard\"}", LockOptions.DEFAULT)) {
            assertThat(lock.dirPath()).isEqualTo(DIR);
            assertThat(lock.contents()).isEqualTo("{\"action\":\"PlannedReparentShard\"}");
            List<DirEntry> nodes = conn.listDir(DIR + "/locks");
            assertThat(nodes).hasSize(1);
            assertThat(text(conn.get(DIR + "/locks/" + nodes.getFirst().name()).contents()))
                    .isEqualTo(lock.contents());
            lock.check();
        }
        assertCode(() -> conn.listDir(DIR + "/locks"), Code.NO_NODE);
    }

    @Test
    void unlockIsIdempotentAndCheckThenReportsLockLost() throws Exception {
        TopoConn conn = connect();
        conn.create(DIR + "/Shard", bytes("s"));
        LockHandle lock = conn.lock(DIR, "x", LockOptions.DEFAULT);

        lock.unlock();
        lock.unlock();
        lock.close();

        assertCode(lock::check, Code.LOCK_LOST);
    }

    @Test
    void lockersAreServedInArrivalOrder() throws Exception {
        TopoConn first = connect();
        first.create(DIR + "/Shard", bytes("s"));
        LockHandle held = first.lock(DIR, "first", LockOptions.DEFAULT);
        BlockingQueue<String> order = new LinkedBlockingQueue<>();
        List<String> names = List.of("second", "third", "fourth");
        try (ExecutorService pool = Executors.newFixedThreadPool(names.size())) {
            List<Future<?>> waiters = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                TopoConn conn = connect();
                waiters.add(pool.submit(() -> {
                    try (LockHandle lock = conn.lock(DIR, name, new LockOptions(Duration.ofSeconds(10), WAIT))) {
                        order.add(name);
                    }
                    return null;
                }));
                // Arrival order is the order the lock nodes are created: wait for this one's node.
                int expected = i + 2;
                await(name + " queues up").atMost(WAIT).until(() -> first.listDir(DIR + "/locks").size() == expected);
            }
            assertThat(order).isEmpty();

            held.unlock();

            for (Future<?> w : waiters) {
                w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        assertThat(order).containsExactlyElementsOf(names);
    }

    @Test
    void aLockerThatWaitsTooLongFailsTimeoutAndLeavesNoNodeBehind() throws Exception {
        TopoConn holder = connect();
        TopoConn waiter = connect();
        holder.create(DIR + "/Shard", bytes("s"));
        try (LockHandle held = holder.lock(DIR, "holder", LockOptions.DEFAULT)) {
            String holderNode = holder.listDir(DIR + "/locks").getFirst().name();

            assertCode(() -> waiter.lock(DIR, "waiter", new LockOptions(Duration.ofSeconds(5), Duration.ofMillis(500))),
                    Code.TIMEOUT);
            assertCode(() -> waiter.lock(DIR, "waiter", new LockOptions(Duration.ofSeconds(5), Duration.ZERO)),
                    Code.TIMEOUT);

            assertThat(holder.listDir(DIR + "/locks")).containsExactly(new DirEntry(holderNode, false));
            held.check();
        }
    }

    @Test
    void anInterruptedLockerFailsInterruptedAndLeavesNoNodeBehind() throws Exception {
        TopoConn holder = connect();
        TopoConn waiter = connect();
        holder.create(DIR + "/Shard", bytes("s"));
        try (LockHandle held = holder.lock(DIR, "holder", LockOptions.DEFAULT)) {
            CompletableFuture<TopoException> failure = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    waiter.lock(DIR, "waiter", new LockOptions(Duration.ofSeconds(5), WAIT)).unlock();
                    failure.complete(null);
                } catch (TopoException e) {
                    failure.complete(e);
                }
            });
            await("the waiter queues up").atMost(WAIT).until(() -> holder.listDir(DIR + "/locks").size() == 2);

            t.interrupt();

            TopoException e = failure.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(Code.INTERRUPTED);
            t.join(WAIT.toMillis());
            assertThat(holder.listDir(DIR + "/locks")).hasSize(1);
        }
    }

    @Test
    void closingTheConnectionReleasesItsLocks() throws Exception {
        EtcdTopoConn holder = connect();
        TopoConn next = connect();
        holder.create(DIR + "/Shard", bytes("s"));
        LockHandle held = holder.lock(DIR, "holder", LockOptions.DEFAULT);

        holder.close();

        assertCode(held::check, Code.LOCK_LOST);
        try (LockHandle lock = next.lock(DIR, "next", new LockOptions(Duration.ofSeconds(5), Duration.ZERO))) {
            lock.check();
        }
    }

    @Test
    void aHolderWhoseLeaseIsRevokedSeesLockLost() throws Exception {
        TopoConn conn = connect();
        conn.create(DIR + "/Shard", bytes("s"));
        LockHandle lock = conn.lock(DIR, "x", SHORT_TTL);
        long leaseId = Long.parseUnsignedLong(conn.listDir(DIR + "/locks").getFirst().name(), 16);

        try (Client raw = Client.builder().endpoints("http://" + etcd.endpoint()).build()) {
            raw.getLeaseClient().revoke(leaseId).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        assertCode(lock::check, Code.LOCK_LOST);
        assertCode(() -> conn.listDir(DIR + "/locks"), Code.NO_NODE);
        lock.unlock();
    }

    @Test
    void aLockKeptLongerThanItsTtlStaysHeld() throws Exception {
        TopoConn conn = connect();
        TopoConn other = connect();
        conn.create(DIR + "/Shard", bytes("s"));
        try (LockHandle lock = conn.lock(DIR, "x", SHORT_TTL)) {
            // Another locker waits more than twice the TTL: only renewals keep the lock ours that long.
            assertCode(() -> other.lock(DIR, "y", new LockOptions(Duration.ofSeconds(2), Duration.ofSeconds(5))),
                    Code.TIMEOUT);
            lock.check();
        }
    }

    @Test
    void aHolderKilledWithoutUnlockingLosesTheLockWhenItsLeaseExpires(@TempDir Path logs) throws Exception {
        TopoConn conn = connect();
        conn.create(DIR + "/Shard", bytes("s"));
        try (ManagedProcess holder = ManagedProcess.start("lock-holder",
                // The killed JVM cannot clean up its temporary files (Vert.x's cache under jetcd): keep them in
                // the test's temporary directory.
                ManagedProcess.javaCommand(EtcdLockHolderMain.class.getName(), List.of("-Djava.io.tmpdir=" + logs),
                        List.of(etcd.endpoint(), root, DIR, "2000")),
                Map.of(), logs, logs.resolve("holder.log"))) {
            holder.awaitReady(() -> holder.logText().contains("LOCKED "), WAIT);
            String node = holder.logText().lines().filter(l -> l.startsWith("LOCKED ")).findFirst().orElseThrow()
                    .substring("LOCKED ".length());
            assertThat(text(conn.get(node).contents())).isEqualTo("held by pid " + holder.pid());
            assertCode(() -> conn.lock(DIR, "me", new LockOptions(Duration.ofSeconds(5), Duration.ZERO)),
                    Code.TIMEOUT);

            holder.killHard();

            try (LockHandle mine = conn.lock(DIR, "me", new LockOptions(Duration.ofSeconds(5), WAIT))) {
                mine.check();
                assertCode(() -> conn.get(node), Code.NO_NODE);
            }
        }
        assertThat(Files.exists(logs.resolve("holder.log"))).isTrue();
    }

    @Test
    void lockOnTheRootDirectoryWorks() throws Exception {
        TopoConn conn = connect();
        conn.create("RoutingRules", bytes("r"));

        try (LockHandle lock = conn.lock("", "root", LockOptions.DEFAULT)) {
            assertThat(conn.listDir("locks")).hasSize(1);
            lock.check();
        }
    }
}
