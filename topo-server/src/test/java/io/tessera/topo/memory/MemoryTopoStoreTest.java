package io.tessera.topo.memory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.WatchEvent;
import io.tessera.topo.local.LocalTopoConn;
import io.tessera.topo.local.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryTopoStoreTest {
    private static final LockOptions QUICK = new LockOptions(Duration.ofSeconds(2), Duration.ZERO);

    private final ManualClock clock = new ManualClock();
    private final MemoryTopoStore store = new MemoryTopoStore(clock);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void connectionsShareDataButNotLocksOrWatches() throws Exception {
        TopoConn a = store.connect();
        TopoConn b = store.connect();
        a.create("cells/zone1/CellInfo", "zone1".getBytes(UTF_8));
        assertThat(b.get("cells/zone1/CellInfo").contents()).isEqualTo("zone1".getBytes(UTF_8));

        LockHandle lock = a.lock("cells/zone1", "a", QUICK);
        TopoException busy = assertThrows(TopoException.class, () -> b.lock("cells/zone1", "b", QUICK));
        assertThat(busy.code()).isEqualTo(Code.TIMEOUT);

        List<WatchEvent> seenByA = new CopyOnWriteArrayList<>();
        a.watch("cells/zone1/CellInfo", seenByA::add);
        a.close();
        TopoException lost = assertThrows(TopoException.class, lock::check);
        assertThat(lost.code()).isEqualTo(Code.LOCK_LOST);
        b.lock("cells/zone1", "b", QUICK).unlock();
        b.update("cells/zone1/CellInfo", "changed".getBytes(UTF_8), null);
        assertThat(b.get("cells/zone1/CellInfo").contents()).isEqualTo("changed".getBytes(UTF_8));
        assertThat(seenByA).isEmpty();
        b.close();
    }

    @Test
    void anAbandonedConnectionKeepsItsLockUntilTheLeaseExpires() throws Exception {
        LocalTopoConn dying = store.connect();
        TopoConn other = store.connect();
        dying.create("keyspaces/ks/Keyspace", new byte[0]);
        dying.lock("keyspaces/ks", "dying", QUICK);
        dying.abandon();
        dying.close();
        TopoException busy = assertThrows(TopoException.class, () -> other.lock("keyspaces/ks", "other", QUICK));
        assertThat(busy.code()).isEqualTo(Code.TIMEOUT);
        TopoException gone = assertThrows(TopoException.class, () -> dying.get("keyspaces/ks/Keyspace"));
        assertThat(gone.code()).isEqualTo(Code.UNAVAILABLE);

        clock.advance(QUICK.ttl());
        await().atMost(Duration.ofSeconds(10)).alias("the abandoned lock expires")
                .until(() -> other.listDir("keyspaces/ks").size() == 1);
        other.lock("keyspaces/ks", "other", QUICK).unlock();
        other.close();
    }

    @Test
    void aClosedStoreAnswersUnavailable() throws Exception {
        TopoConn conn = store.connect();
        conn.create("f", new byte[] {1});
        store.close();
        TopoException e = assertThrows(TopoException.class, () -> conn.get("f"));
        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
        conn.close();
    }
}
