package io.tessera.topo.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.topo.DirEntry;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalStoreFilesTest {
    private final TestPersistence persistence = new TestPersistence();
    private LocalStore store;
    private LocalTopoConn conn;

    @BeforeEach
    void open() throws Exception {
        store = LocalStore.open(persistence, new ManualClock());
        conn = store.connect();
    }

    @AfterEach
    void close() {
        conn.close();
        store.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static Code codeOf(ThrowingCall call) {
        try {
            call.run();
        } catch (TopoException e) {
            return e.code();
        }
        throw new AssertionError("expected a TopoException");
    }

    interface ThrowingCall {
        void run() throws TopoException;
    }

    @Test
    void createThenGetReturnsContentsAndVersion() throws Exception {
        Version v = conn.create("keyspaces/ks/Keyspace", b("one"));
        assertThat(conn.get("keyspaces/ks/Keyspace").contents()).isEqualTo(b("one"));
        assertThat(conn.get("keyspaces/ks/Keyspace").version()).isEqualTo(v);
        assertThat(codeOf(() -> conn.create("keyspaces/ks/Keyspace", b("two")))).isEqualTo(Code.NODE_EXISTS);
        assertThat(codeOf(() -> conn.get("keyspaces/ks/Other"))).isEqualTo(Code.NO_NODE);
    }

    @Test
    void versionsAreOneStoreWideRevisionThatOnlyGrows() throws Exception {
        Version a = conn.create("a", b("1"));
        Version other = conn.create("b", b("1"));
        Version a2 = conn.update("a", b("2"), a);
        assertThat(a.value()).isEqualTo(1);
        assertThat(other.value()).isEqualTo(2);
        assertThat(a2.value()).isEqualTo(3);
        conn.delete("b", other);
        assertThat(conn.create("b", b("again")).value()).isEqualTo(5);
    }

    @Test
    void updateIsCompareAndSetOrUnconditional() throws Exception {
        Version v1 = conn.create("f", b("1"));
        Version v2 = conn.update("f", b("2"), v1);
        assertThat(codeOf(() -> conn.update("f", b("3"), v1))).isEqualTo(Code.BAD_VERSION);
        assertThat(conn.get("f").contents()).isEqualTo(b("2"));
        assertThat(codeOf(() -> conn.update("missing", b("x"), v2))).isEqualTo(Code.NO_NODE);

        Version v3 = conn.update("f", b("3"), null);
        assertThat(v3.value()).isGreaterThan(v2.value());
        Version created = conn.update("new/file", b("n"), null);
        assertThat(conn.get("new/file").version()).isEqualTo(created);
    }

    @Test
    void deleteChecksVersionWhenGiven() throws Exception {
        Version v1 = conn.create("f", b("1"));
        conn.update("f", b("2"), v1);
        assertThat(codeOf(() -> conn.delete("f", v1))).isEqualTo(Code.BAD_VERSION);
        conn.delete("f", null);
        assertThat(codeOf(() -> conn.get("f"))).isEqualTo(Code.NO_NODE);
        assertThat(codeOf(() -> conn.delete("f", null))).isEqualTo(Code.NO_NODE);
        assertThat(codeOf(() -> conn.delete("f", v1))).isEqualTo(Code.NO_NODE);
    }

    @Test
    void badPathsAreInvalidArguments() {
        for (String bad : new String[] {"", "/a", "a/", "a//b", "a/../b", "a b"}) {
            assertThat(codeOf(() -> conn.create(bad, b("x")))).as(bad).isEqualTo(Code.INVALID_ARGUMENT);
            assertThat(codeOf(() -> conn.get(bad))).as(bad).isEqualTo(Code.INVALID_ARGUMENT);
        }
        assertThat(codeOf(() -> conn.listDir("a/"))).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> conn.create("a", null))).isEqualTo(Code.INVALID_ARGUMENT);
    }

    @Test
    void storedBytesAreNotSharedWithCallers() throws Exception {
        byte[] input = b("abc");
        conn.create("f", input);
        input[0] = 'X';
        byte[] read = conn.get("f").contents();
        read[1] = 'Y';
        assertThat(conn.get("f").contents()).isEqualTo(b("abc"));
    }

    @Test
    void listDirShowsImplicitDirectoriesSortedByName() throws Exception {
        conn.create("ks/a/x", b(""));
        conn.create("ks/a.b", b(""));
        conn.create("ks/a-b", b(""));
        conn.create("ks/a0", b(""));
        conn.create("ks/z/deep/file", b(""));
        assertThat(conn.listDir("ks")).containsExactly(
                new DirEntry("a", true), new DirEntry("a-b", false), new DirEntry("a.b", false),
                new DirEntry("a0", false), new DirEntry("z", true));
        assertThat(conn.listDir("")).containsExactly(new DirEntry("ks", true));
        assertThat(conn.listDir("ks/z")).containsExactly(new DirEntry("deep", true));
        assertThat(codeOf(() -> conn.listDir("ks/a/x"))).isEqualTo(Code.NO_NODE);
        assertThat(codeOf(() -> conn.listDir("other"))).isEqualTo(Code.NO_NODE);
    }

    @Test
    void aDirectoryVanishesWithItsLastFile() throws Exception {
        conn.create("d/sub/f", b(""));
        assertThat(conn.listDir("d")).containsExactly(new DirEntry("sub", true));
        conn.delete("d/sub/f", null);
        assertThat(codeOf(() -> conn.listDir("d"))).isEqualTo(Code.NO_NODE);
        assertThat(codeOf(() -> conn.listDir(""))).isEqualTo(Code.NO_NODE);
    }

    @Test
    void aNameThatIsBothFileAndDirectoryIsListedOnceAsDirectory() throws Exception {
        conn.create("d/n", b(""));
        conn.create("d/n/child", b(""));
        assertThat(conn.listDir("d")).containsExactly(new DirEntry("n", true));
    }

    @Test
    void ofConcurrentWritersOfOneVersionExactlyOneWins() throws Exception {
        conn.create("counter", b("0"));
        int writers = 8;
        int rounds = 50;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> wins = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                wins.add(pool.submit(() -> {
                    int won = 0;
                    for (int i = 0; i < rounds; i++) {
                        var current = conn.get("counter");
                        int n = Integer.parseInt(new String(current.contents(), UTF_8));
                        try {
                            conn.update("counter", b(Integer.toString(n + 1)), current.version());
                            won++;
                        } catch (TopoException e) {
                            assertThat(e.code()).isEqualTo(Code.BAD_VERSION);
                        }
                    }
                    return won;
                }));
            }
            int total = 0;
            for (Future<Integer> f : wins) {
                total += f.get();
            }
            assertThat(new String(conn.get("counter").contents(), UTF_8)).isEqualTo(Integer.toString(total));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWriteThePersistenceRefusesChangesNothing() throws Exception {
        Version v = conn.create("f", b("1"));
        persistence.failWrites(true);
        assertThat(codeOf(() -> conn.update("f", b("2"), v))).isEqualTo(Code.UNAVAILABLE);
        assertThat(codeOf(() -> conn.create("g", b("2")))).isEqualTo(Code.UNAVAILABLE);
        persistence.failWrites(false);
        assertThat(conn.get("f").contents()).isEqualTo(b("1"));
        assertThat(codeOf(() -> conn.get("g"))).isEqualTo(Code.NO_NODE);
        assertThat(conn.update("f", b("2"), v).value()).isEqualTo(2);
    }

    @Test
    void everyChangeIsRecordedAndSurvivesReopeningTheStore() throws Exception {
        conn.create("a", b("1"));
        Version v = conn.update("b/c", b("2"), null);
        conn.delete("a", null);
        conn.close();
        store.close();

        store = LocalStore.open(persistence, new ManualClock());
        conn = store.connect();
        assertThat(codeOf(() -> conn.get("a"))).isEqualTo(Code.NO_NODE);
        assertThat(conn.get("b/c").version()).isEqualTo(v);
        assertThat(conn.create("a", b("again")).value()).isEqualTo(4);
    }

    @Test
    void aClosedConnectionOrStoreAnswersUnavailable() throws Exception {
        conn.create("f", b("1"));
        LocalTopoConn other = store.connect();
        other.close();
        assertThat(codeOf(() -> other.get("f"))).isEqualTo(Code.UNAVAILABLE);
        store.close();
        assertThat(codeOf(() -> conn.get("f"))).isEqualTo(Code.UNAVAILABLE);
        assertThat(codeOf(() -> conn.update("f", b("2"), null))).isEqualTo(Code.UNAVAILABLE);
    }
}
