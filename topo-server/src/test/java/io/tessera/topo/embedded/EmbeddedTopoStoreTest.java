package io.tessera.topo.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessera.topo.DirEntry;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.Version;
import io.tessera.topo.local.LocalTopoConn;
import io.tessera.topo.local.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedTopoStoreTest {
    private static final LockOptions HOLD = new LockOptions(Duration.ofSeconds(5), Duration.ZERO);

    @TempDir
    Path tmp;

    private final ManualClock clock = new ManualClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private EmbeddedTopoStore open(Path dir) throws TopoException {
        return open(dir, StorageTuning.DEFAULT);
    }

    private EmbeddedTopoStore open(Path dir, StorageTuning tuning) throws TopoException {
        EmbeddedTopoStore store = EmbeddedTopoStore.open(dir, clock, tuning);
        toClose.add(store);
        return store;
    }

    private LocalTopoConn connect(EmbeddedTopoStore store) {
        LocalTopoConn conn = store.connect();
        toClose.add(conn);
        return conn;
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void closeAndReopenKeepsEveryRecordAndVersionAndTheRevisionKeepsGrowing() throws Exception {
        Path dir = tmp.resolve("data");
        EmbeddedTopoStore first = open(dir);
        TopoConn conn = connect(first);
        Version ks = conn.create("keyspaces/ks/Keyspace", b("ks"));
        Version shard = conn.create("keyspaces/ks/shards/-80/Shard", b("shard"));
        conn.create("doomed", b("x"));
        Version shard2 = conn.update("keyspaces/ks/shards/-80/Shard", b("shard v2"), shard);
        conn.delete("doomed", null);
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        Version bin = conn.create("cells/zone1/CellInfo", binary);
        first.close();

        EmbeddedTopoStore second = open(dir);
        TopoConn again = connect(second);
        assertThat(again.get("keyspaces/ks/Keyspace").version()).isEqualTo(ks);
        assertThat(again.get("keyspaces/ks/shards/-80/Shard").contents()).isEqualTo(b("shard v2"));
        assertThat(again.get("keyspaces/ks/shards/-80/Shard").version()).isEqualTo(shard2);
        assertThat(again.get("cells/zone1/CellInfo").contents()).isEqualTo(binary);
        assertThat(again.get("cells/zone1/CellInfo").version()).isEqualTo(bin);
        assertThat(assertThrows(TopoException.class, () -> again.get("doomed")).code()).isEqualTo(Code.NO_NODE);
        assertThat(again.listDir("")).containsExactly(new DirEntry("cells", true), new DirEntry("keyspaces", true));

        assertThat(again.update("keyspaces/ks/shards/-80/Shard", b("v3"), shard2).value())
                .isGreaterThan(bin.value());
        assertThat(assertThrows(TopoException.class,
                () -> again.update("keyspaces/ks/Keyspace", b("stale"), new Version(ks.value() + 1))).code())
                .isEqualTo(Code.BAD_VERSION);
    }

    @Test
    void theDataDirIsCreatedWhenMissing() throws Exception {
        Path dir = tmp.resolve("a/b/c");
        EmbeddedTopoStore store = open(dir);
        assertThat(store.dataDir()).isEqualTo(dir.toRealPath());
        assertThat(dir.resolve(DataDirLock.FILE_NAME)).exists();
        assertThat(Files.readString(dir.resolve(DataDirLock.FILE_NAME)).trim())
                .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }

    @Test
    void aDataDirThatIsAFileIsUnavailable() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        TopoException e = assertThrows(TopoException.class, () -> open(file));
        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(e.getMessage()).contains(file.toString());
    }

    @Test
    void aDataDirInUseIsRefusedByThisProcessAndByOthers() throws Exception {
        Path dir = tmp.resolve("data");
        EmbeddedTopoStore first = open(dir);
        TopoConn conn = connect(first);
        conn.create("f", b("1"));

        TopoException here = assertThrows(TopoException.class, () -> open(dir));
        assertThat(here.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(here.getMessage()).contains(dir.toRealPath().toString())
                .contains("pid " + ProcessHandle.current().pid());

        // The refused attempt must not have weakened the first store's hold on the directory.
        String probe = runProbe(dir);
        assertThat(probe).startsWith("UNAVAILABLE").contains("pid " + ProcessHandle.current().pid());
        conn.update("f", b("2"), null);

        first.close();
        EmbeddedTopoStore reopened = open(dir);
        assertThat(connect(reopened).get("f").contents()).isEqualTo(b("2"));
    }

    @Test
    void aLeaseSurvivesReopenAndThenExpiresAfterItsTtl() throws Exception {
        Path dir = tmp.resolve("data");
        EmbeddedTopoStore first = open(dir);
        LocalTopoConn holder = connect(first);
        holder.create("keyspaces/ks/Keyspace", b("ks"));
        holder.lock("keyspaces/ks", "held across restart", HOLD);
        first.close();
        clock.advance(Duration.ofSeconds(1));

        EmbeddedTopoStore second = open(dir);
        TopoConn conn = connect(second);
        assertThat(conn.listDir("keyspaces/ks/locks")).hasSize(1);
        TopoException busy = assertThrows(TopoException.class, () -> conn.lock("keyspaces/ks", "next", HOLD));
        assertThat(busy.code()).isEqualTo(Code.TIMEOUT);

        clock.advance(HOLD.ttl());
        await().atMost(Duration.ofSeconds(10)).alias("the old lock expired").until(() -> {
            try {
                conn.listDir("keyspaces/ks/locks");
                return false;
            } catch (TopoException e) {
                return e.code() == Code.NO_NODE;
            }
        });
        conn.lock("keyspaces/ks", "next", HOLD).unlock();
    }

    @Test
    void aLeaseThatRanOutWhileClosedIsExpiredAtOpen() throws Exception {
        Path dir = tmp.resolve("data");
        EmbeddedTopoStore first = open(dir);
        LocalTopoConn holder = connect(first);
        holder.create("keyspaces/ks/Keyspace", b("ks"));
        holder.lock("keyspaces/ks", "held", HOLD);
        first.close();
        clock.advance(HOLD.ttl());

        TopoConn conn = connect(open(dir));
        assertThat(conn.listDir("keyspaces/ks")).containsExactly(new DirEntry("Keyspace", false));
        conn.lock("keyspaces/ks", "next", HOLD).unlock();
    }

    @Test
    void dataSurvivesManyWritesWithCompactionInBetween() throws Exception {
        Path dir = tmp.resolve("data");
        // No retention, so freed chunks are rewritable at once and compaction really rewrites the file here.
        StorageTuning eager = new StorageTuning(5, 0);
        EmbeddedTopoStore first = open(dir, eager);
        TopoConn conn = connect(first);
        List<Version> last = new ArrayList<>();
        for (int key = 0; key < 10; key++) {
            last.add(conn.create("k/" + key, b("0")));
        }
        for (int round = 1; round <= 6; round++) {
            for (int key = 0; key < 10; key++) {
                last.set(key, conn.update("k/" + key, b(Integer.toString(round)), last.get(key)));
            }
        }
        for (int key = 0; key < 10; key += 2) {
            conn.delete("k/" + key, last.get(key));
        }
        first.close();

        TopoConn again = connect(open(dir, eager));
        assertThat(again.listDir("k")).hasSize(5);
        for (int key = 1; key < 10; key += 2) {
            assertThat(again.get("k/" + key).contents()).isEqualTo(b("6"));
            assertThat(again.get("k/" + key).version()).isEqualTo(last.get(key));
        }
    }

    /** Runs {@link OpenProbe} in a new JVM against {@code dir} and returns what it printed. */
    private static String runProbe(Path dir) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OpenProbe.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the probe process did not finish within 60 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            return out.lines().filter(l -> l.startsWith("OPENED") || l.startsWith("UNAVAILABLE"))
                    .findFirst().orElse(out);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
