package io.tessera.topo.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.topo.DirEntry;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Files, versions and directories on a real etcd. */
class EtcdFilesTest extends EtcdTestBase {

    @Test
    void createThenGetReturnsContentsAndVersion() throws Exception {
        TopoConn conn = connect();

        Version v = conn.create("keyspaces/ks/Keyspace", bytes("one"));

        VersionedData read = conn.get("keyspaces/ks/Keyspace");
        assertThat(text(read.contents())).isEqualTo("one");
        assertThat(read.version()).isEqualTo(v);
    }

    @Test
    void createOfAnExistingFileFailsNodeExists() throws Exception {
        TopoConn conn = connect();
        conn.create("f", bytes("a"));

        assertCode(() -> conn.create("f", bytes("b")), Code.NODE_EXISTS);
        assertThat(text(conn.get("f").contents())).isEqualTo("a");
    }

    @Test
    void getOfAMissingFileFailsNoNode() {
        TopoConn conn = connect();

        assertCode(() -> conn.get("missing"), Code.NO_NODE);
    }

    @Test
    void versionsGrowWithEveryWrite() throws Exception {
        TopoConn conn = connect();
        Version v1 = conn.create("f", bytes("1"));
        Version v2 = conn.update("f", bytes("2"), v1);
        Version v3 = conn.update("f", bytes("3"), null);

        assertThat(v2.value()).isGreaterThan(v1.value());
        assertThat(v3.value()).isGreaterThan(v2.value());
        assertThat(conn.get("f").version()).isEqualTo(v3);
    }

    @Test
    void unconditionalUpdateCreatesAMissingFile() throws Exception {
        TopoConn conn = connect();

        Version v = conn.update("new/file", bytes("x"), null);

        assertThat(conn.get("new/file")).isEqualTo(new VersionedData(bytes("x"), v));
    }

    @Test
    void updateWithAStaleVersionFailsBadVersionAndChangesNothing() throws Exception {
        TopoConn conn = connect();
        Version v1 = conn.create("f", bytes("1"));
        Version v2 = conn.update("f", bytes("2"), v1);

        assertCode(() -> conn.update("f", bytes("stale"), v1), Code.BAD_VERSION);
        assertThat(conn.get("f")).isEqualTo(new VersionedData(bytes("2"), v2));
    }

    @Test
    void updateWithAVersionOfAMissingFileFailsNoNode() throws Exception {
        TopoConn conn = connect();
        Version v = conn.create("f", bytes("1"));
        conn.delete("f", v);

        assertCode(() -> conn.update("f", bytes("2"), v), Code.NO_NODE);
        assertCode(() -> conn.get("f"), Code.NO_NODE);
    }

    @Test
    void deleteChecksTheVersionAndTellsMissingFromChanged() throws Exception {
        TopoConn conn = connect();
        Version v1 = conn.create("f", bytes("1"));
        Version v2 = conn.update("f", bytes("2"), v1);

        assertCode(() -> conn.delete("f", v1), Code.BAD_VERSION);
        conn.delete("f", v2);
        assertCode(() -> conn.get("f"), Code.NO_NODE);
        assertCode(() -> conn.delete("f", v2), Code.NO_NODE);
        assertCode(() -> conn.delete("f", null), Code.NO_NODE);
    }

    @Test
    void unconditionalDeleteRemovesTheFile() throws Exception {
        TopoConn conn = connect();
        conn.create("f", bytes("1"));

        conn.delete("f", null);

        assertCode(() -> conn.get("f"), Code.NO_NODE);
    }

    @Test
    void ofManyWritersFromOneVersionExactlyOneWins() throws Exception {
        TopoConn setup = connect();
        Version start = setup.create("contended", bytes("start"));
        int writers = 12;
        List<TopoConn> conns = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            conns.add(connect());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Code>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                TopoConn conn = conns.get(i);
                byte[] data = bytes("writer-" + i);
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        conn.update("contended", data, start);
                        return null;
                    } catch (TopoException e) {
                        return e.code();
                    }
                }));
            }
            go.countDown();
            List<Code> codes = new ArrayList<>();
            for (Future<Code> f : outcomes) {
                codes.add(f.get(30, TimeUnit.SECONDS));
            }

            assertThat(codes).filteredOn(c -> c == null).hasSize(1);
            assertThat(codes).filteredOn(c -> c != null).hasSize(writers - 1).containsOnly(Code.BAD_VERSION);
        }
        assertThat(text(setup.get("contended").contents())).startsWith("writer-");
    }

    @Test
    void listDirGivesImmediateChildrenSortedWithImplicitDirectories() throws Exception {
        TopoConn conn = connect();
        conn.create("keyspaces/ks2/Keyspace", bytes("k"));
        conn.create("keyspaces/ks1/shards/-80/Shard", bytes("s"));
        conn.create("keyspaces/ks1/Keyspace", bytes("k"));
        conn.create("keyspaces/ks1-old", bytes("file"));
        conn.create("RoutingRules", bytes("r"));

        assertThat(conn.listDir("")).containsExactly(
                new DirEntry("RoutingRules", false), new DirEntry("keyspaces", true));
        assertThat(conn.listDir("keyspaces")).containsExactly(
                new DirEntry("ks1", true), new DirEntry("ks1-old", false), new DirEntry("ks2", true));
        assertThat(conn.listDir("keyspaces/ks1")).containsExactly(
                new DirEntry("Keyspace", false), new DirEntry("shards", true));
    }

    @Test
    void listDirOfAnEmptyOrMissingDirectoryFailsNoNode() throws Exception {
        TopoConn conn = connect();
        assertCode(() -> conn.listDir(""), Code.NO_NODE);

        Version v = conn.create("a/b/c", bytes("x"));
        assertCode(() -> conn.listDir("a/x"), Code.NO_NODE);
        // A file is not a directory.
        assertCode(() -> conn.listDir("a/b/c"), Code.NO_NODE);

        conn.delete("a/b/c", v);
        assertCode(() -> conn.listDir("a"), Code.NO_NODE);
    }

    @Test
    void rootsAreIsolatedFromEachOther() throws Exception {
        TopoConn conn = connect();
        conn.create("shared/name", bytes("mine"));
        String otherRoot = root + "-other";
        try (EtcdTopoConn other = EtcdTopoConn.connect(List.of(etcd.endpoint()), otherRoot)) {
            assertCode(() -> other.get("shared/name"), Code.NO_NODE);
            assertCode(() -> other.listDir(""), Code.NO_NODE);
            other.create("shared/name", bytes("theirs"));
        }
        assertThat(text(conn.get("shared/name").contents())).isEqualTo("mine");
    }

    @Test
    void badPathsFailInvalidArgument() {
        TopoConn conn = connect();

        assertCode(() -> conn.create("/abs", bytes("x")), Code.INVALID_ARGUMENT);
        assertCode(() -> conn.get("a//b"), Code.INVALID_ARGUMENT);
        assertCode(() -> conn.update("a/../b", bytes("x"), null), Code.INVALID_ARGUMENT);
        assertCode(() -> conn.delete("", null), Code.INVALID_ARGUMENT);
        assertCode(() -> conn.listDir("trailing/"), Code.INVALID_ARGUMENT);
    }

    @Test
    void aValueOverEtcdsRequestLimitIsAnInvalidArgument() throws Exception {
        TopoConn conn = connect();
        // Over etcd's default request limit (1.5 MiB), under the gRPC message limit (2 MiB) that would refuse it
        // first.
        byte[] huge = new byte[1700 * 1024];

        assertCode(() -> conn.create("huge", huge), Code.INVALID_ARGUMENT);
        assertCode(() -> conn.get("huge"), Code.NO_NODE);
    }

    @Test
    void emptyContentsRoundTrip() throws Exception {
        TopoConn conn = connect();
        Version v = conn.create("empty", new byte[0]);

        assertThat(conn.get("empty")).isEqualTo(new VersionedData(new byte[0], v));
    }

    @Test
    void aClosedConnectionRefusesWork() {
        EtcdTopoConn conn = connect();
        conn.close();
        conn.close();

        assertCode(() -> conn.get("f"), Code.UNAVAILABLE);
    }

    static void assertCode(ThrowingCallable call, Code code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(TopoException.class, e -> assertThat(e.code()).as(e.getMessage())
                        .isEqualTo(code));
    }
}
