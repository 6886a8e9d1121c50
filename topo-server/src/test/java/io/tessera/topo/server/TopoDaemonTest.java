package io.tessera.topo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.testing.EtcdProcess;
import io.tessera.testing.FreePorts;
import io.tessera.testing.ManagedProcess;
import io.tessera.topo.DirEntry;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoPaths;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import io.tessera.topo.etcd.EtcdTopoConn;
import io.tessera.topo.remote.RemoteTopoConn;
import io.tessera.topo.remote.RemoteTopoOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tessera-topo} daemon as a real OS process with the embedded store: durability across a clean stop
 * and a SIGKILL, locks across a crash, exclusive use of the data dir, and its command line.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TopoDaemonTest {

    @TempDir Path tmp;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private TopoDaemonProcess daemon(Path dataDir) {
        TopoDaemonProcess d = TopoDaemonProcess.start(dataDir);
        cleanup.add(d);
        return d;
    }

    private RemoteTopoConn client(TopoDaemonProcess d) {
        RemoteTopoConn c = RemoteTopoConn.connect(d.address(), new RemoteTopoOptions(Duration.ofSeconds(20)));
        cleanup.add(c);
        return c;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyRecordAndVersionSurvivesACleanStopAndRestart() throws Exception {
        TopoDaemonProcess d = daemon(tmp.resolve("data"));
        Map<String, VersionedData> expected = new TreeMap<>();
        List<String> deleted = new ArrayList<>();
        try (RemoteTopoConn c = RemoteTopoConn.connect(d.address())) {
            for (int i = 0; i < 200; i++) {
                String path = "keyspaces/ks" + (i % 10) + "/shards/s" + i + "/Shard";
                Version v = c.create(path, bytes("shard " + i));
                if (i % 3 == 0) {
                    v = c.update(path, bytes("shard " + i + " updated"), v);
                    expected.put(path, new VersionedData(bytes("shard " + i + " updated"), v));
                } else if (i % 7 == 0) {
                    c.delete(path, v);
                    deleted.add(path);
                } else {
                    expected.put(path, new VersionedData(bytes("shard " + i), v));
                }
            }
        }
        long maxVersion = expected.values().stream().mapToLong(v -> v.version().value()).max().orElseThrow();
        List<DirEntry> listingBefore = listing(d);

        int exit = d.stop();
        assertThat(exit).as("exit code after SIGTERM (143 = clean JVM shutdown on SIGTERM); log:\n%s", d.logText())
                .isEqualTo(143);
        assertThat(d.logText()).contains("stopped");

        d.restart();
        TopoConn c = client(d);
        for (var e : expected.entrySet()) {
            assertThat(c.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        for (String path : deleted) {
            assertThatThrownBy(() -> c.get(path)).isInstanceOfSatisfying(TopoException.class,
                    e -> assertThat(e.code()).isEqualTo(TopoException.Code.NO_NODE));
        }
        assertThat(listing(d)).isEqualTo(listingBefore);
        assertThat(c.create("after/restart", bytes("x")).value()).isGreaterThan(maxVersion);
    }

    private List<DirEntry> listing(TopoDaemonProcess d) throws TopoException {
        try (RemoteTopoConn c = RemoteTopoConn.connect(d.address())) {
            List<DirEntry> all = new ArrayList<>();
            for (DirEntry ks : c.listDir("keyspaces")) {
                all.add(ks);
                all.addAll(c.listDir("keyspaces/" + ks.name() + "/shards"));
            }
            return all;
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        TopoDaemonProcess d = daemon(tmp.resolve("data"));
        TopoConn watcherConn = client(d);
        watcherConn.create("watched", bytes("w"));
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        TopoWatch watch = watcherConn.watch("watched", events::add);
        cleanup.add(watch);

        // Writers keep creating files until the daemon dies under them; only acknowledged creates are recorded.
        Map<String, VersionedData> acknowledged = new ConcurrentHashMap<>();
        int writers = 4;
        CountDownLatch enoughWritten = new CountDownLatch(writers);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            TopoConn c = client(d);
            int writer = w;
            threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                for (int i = 0; ; i++) {
                    String path = "crash/w" + writer + "/f" + i;
                    byte[] data = bytes("writer " + writer + " record " + i);
                    try {
                        acknowledged.put(path, new VersionedData(data, c.create(path, data)));
                    } catch (TopoException e) {
                        return;
                    }
                    if (i == 50) {
                        enoughWritten.countDown();
                    }
                }
            }));
        }
        assertThat(enoughWritten.await(60, TimeUnit.SECONDS)).as("writers made progress").isTrue();
        d.killHard();
        for (Thread t : threads) {
            t.join(60_000);
            assertThat(t.isAlive()).as("%s stopped after the daemon died", t.getName()).isFalse();
        }

        WatchEvent last = events.poll(30, TimeUnit.SECONDS);
        assertThat(last).as("a watch fails when its daemon dies").isInstanceOf(WatchEvent.Failed.class);
        assertThat(((WatchEvent.Failed) last).error().code()).isEqualTo(TopoException.Code.UNAVAILABLE);

        d.restart();
        TopoConn c = client(d);
        long maxVersion = 0;
        for (var e : acknowledged.entrySet()) {
            assertThat(c.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            maxVersion = Math.max(maxVersion, e.getValue().version().value());
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(writers * 50);
        assertThat(c.create("after/crash", bytes("x")).value()).isGreaterThan(maxVersion);
        assertThat(c.update("watched", bytes("w2"), null).value()).isGreaterThan(maxVersion);
    }

    @Test
    void lockTakenBeforeSigkillIsHeldAfterRestartAndFreedAfterItsTtl() throws Exception {
        TopoDaemonProcess d = daemon(tmp.resolve("data"));
        TopoConn holder = client(d);
        holder.create("keyspaces/ks/Keyspace", bytes("k"));
        // Long enough that the restart below surely happens within it.
        Duration ttl = Duration.ofSeconds(10);
        LockHandle lock = holder.lock("keyspaces/ks", "{\"Action\":\"before crash\"}",
                new LockOptions(ttl, Duration.ofSeconds(5)));

        d.killHard();
        d.restart();

        TopoConn other = client(d);
        List<DirEntry> lockNodes = other.listDir("keyspaces/ks/" + TopoPaths.LOCKS_DIR);
        assertThat(lockNodes).hasSize(1);
        assertThat(new String(other.get("keyspaces/ks/" + TopoPaths.LOCKS_DIR + "/" + lockNodes.get(0).name())
                .contents(), StandardCharsets.UTF_8)).isEqualTo("{\"Action\":\"before crash\"}");
        assertThatThrownBy(() -> other.lock("keyspaces/ks", "impatient",
                new LockOptions(Duration.ofSeconds(5), Duration.ofMillis(200))))
                .isInstanceOfSatisfying(TopoException.class,
                        e -> assertThat(e.code()).isEqualTo(TopoException.Code.TIMEOUT));

        // The restarted daemon does not know the old holder's lock id, so the holder learns it lost the lock.
        assertThatThrownBy(lock::check).isInstanceOfSatisfying(TopoException.class,
                e -> assertThat(e.code()).isEqualTo(TopoException.Code.LOCK_LOST));

        try (LockHandle next = other.lock("keyspaces/ks", "next", new LockOptions(ttl, Duration.ofSeconds(60)))) {
            next.check();
            assertThat(other.listDir("keyspaces/ks/" + TopoPaths.LOCKS_DIR)).hasSize(1);
        }
    }

    @Test
    void secondDaemonOnTheSameDataDirExitsOneWhileTheFirstKeepsServing() throws Exception {
        Path dataDir = tmp.resolve("data");
        TopoDaemonProcess first = daemon(dataDir);
        TopoConn c = client(first);
        Version v = c.create("still/here", bytes("1"));

        int port = FreePorts.next();
        try (ManagedProcess second = ManagedProcess.start("second tessera-topo",
                TopoDaemonProcess.command(dataDir, port), Map.of(), tmp, tmp.resolve("second.log"))) {
            assertThat(second.waitFor(Duration.ofSeconds(60))).as("exit code; log:\n%s", second.logText())
                    .isEqualTo(1);
            assertThat(second.logText()).contains("in use").contains(dataDir.toAbsolutePath().toString());
            assertThat(FreePorts.isListening(port)).isFalse();
        }
        assertThat(first.isAlive()).isTrue();
        assertThat(c.get("still/here").version()).isEqualTo(v);
        assertThat(c.update("still/here", bytes("2"), v).value()).isGreaterThan(v.value());
    }

    @Test
    void servesEtcdWhenToldTo() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start()) {
            TopoDaemonProcess d = TopoDaemonProcess.startEtcd(tmp.resolve("etcd-daemon"), etcd.endpoint(), "/daemon");
            cleanup.add(d);
            assertThat(d.logText()).contains("etcd " + etcd.endpoint() + " under /daemon");
            TopoConn remote = client(d);
            Version v = remote.create("keyspaces/ks/Keyspace", bytes("via the daemon"));
            try (EtcdTopoConn direct = EtcdTopoConn.connect(List.of(etcd.endpoint()), "/daemon")) {
                assertThat(direct.get("keyspaces/ks/Keyspace")).isEqualTo(new VersionedData(bytes("via the daemon"), v));
                Version v2 = direct.update("keyspaces/ks/Keyspace", bytes("direct"), v);
                assertThat(remote.get("keyspaces/ks/Keyspace")).isEqualTo(new VersionedData(bytes("direct"), v2));
            }
            try (LockHandle lock = remote.lock("keyspaces/ks", "via the daemon", LockOptions.DEFAULT)) {
                lock.check();
            }
            d.close();
        }
    }

    @Test
    void helpExitsZeroAndListsTheFlags() {
        try (ManagedProcess p = ManagedProcess.start("tessera-topo --help",
                TopoDaemonProcess.commandWithArgs(List.of("--help")), Map.of(), tmp, tmp.resolve("help.log"))) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
            assertThat(p.logText()).contains("--port", "--bind-address", "--backend", "--data-dir",
                    "--etcd-endpoints", "--etcd-root", "--config", "--help");
        }
    }

    @Test
    void badFlagExitsOneWithAUsageError() {
        try (ManagedProcess p = ManagedProcess.start("tessera-topo --bogus",
                TopoDaemonProcess.commandWithArgs(List.of("-no_such_flag=1")), Map.of(), tmp,
                tmp.resolve("bad.log"))) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(p.logText()).contains("--no-such-flag").contains("Usage:");
        }
    }
}
