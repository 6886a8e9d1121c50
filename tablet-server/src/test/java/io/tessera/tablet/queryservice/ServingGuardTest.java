package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServingGuardTest {
    private final SettableServingState state = new SettableServingState(ServingState.serving("ks", "0",
            TabletType.REPLICA));
    private final ServingGuard guard = new ServingGuard(state, "zone1-0000000101");

    private static Target target(String ks, String shard, TabletType type) {
        return Target.newBuilder().setKeyspace(ks).setShard(shard).setTabletType(type).build();
    }

    private static void assertRefused(Runnable r, ErrorKind kind, Code code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(TesseraException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void acceptsItsOwnTargetOnly() {
        assertThatCode(() -> guard.checkServing(target("ks", "0", TabletType.REPLICA))).doesNotThrowAnyException();
        assertThatCode(() -> guard.checkServing(target("ks", "-", TabletType.REPLICA))).doesNotThrowAnyException();
        assertRefused(() -> guard.checkServing(target("other", "0", TabletType.REPLICA)), ErrorKind.WRONG_TARGET,
                Code.FAILED_PRECONDITION);
        assertRefused(() -> guard.checkServing(target("ks", "-80", TabletType.REPLICA)), ErrorKind.WRONG_TARGET,
                Code.FAILED_PRECONDITION);
        assertRefused(() -> guard.checkServing(target("ks", "0", TabletType.PRIMARY)), ErrorKind.WRONG_TARGET,
                Code.FAILED_PRECONDITION);
        assertThatThrownBy(() -> guard.checkServing(target("ks", "0", TabletType.PRIMARY)))
                .hasMessageContaining("ks/0@primary").hasMessageContaining("ks/0@replica")
                .hasMessageContaining("zone1-0000000101");
    }

    @Test
    void eachReasonNotToServeHasItsOwnError() {
        Target t = target("ks", "0", TabletType.REPLICA);
        state.update(s -> s.withNotServing("demoting"));
        assertRefused(() -> guard.checkServing(t), ErrorKind.NOT_SERVING, Code.CLUSTER_EVENT);
        assertThatThrownBy(() -> guard.checkServing(t)).hasMessageContaining("demoting");
        state.update(s -> s.withServing().withQueryServiceDisabled(true));
        assertRefused(() -> guard.checkServing(t), ErrorKind.QUERY_SERVICE_DISABLED, Code.FAILED_PRECONDITION);
        state.update(s -> s.withQueryServiceDisabled(false).withMysqldReachable(false));
        assertRefused(() -> guard.checkServing(t), ErrorKind.MYSQLD_DOWN, Code.UNAVAILABLE);
        // Commit and rollback only need the right target.
        assertThatCode(() -> guard.checkTarget(t)).doesNotThrowAnyException();
    }

    @Test
    void nonPrimariesRefuseWritesAndDeniedTablesAreRefused() {
        ServingState replica = state.current();
        // A single-table write passes with its table: only a reserved connection's own temporary table may take it.
        assertThat(guard.checkStatement(replica, StatementClassifier.classify("INSERT INTO t VALUES (1)"),
                "INSERT INTO t VALUES (1)")).isEqualTo("t");
        assertRefused(() -> guard.checkStatement(replica, StatementClassifier.classify("UPDATE t, u SET t.a = u.a"),
                "UPDATE t, u SET t.a = u.a"), ErrorKind.WRITE_ON_NON_PRIMARY, Code.READ_ONLY);
        assertRefused(guard::refuseWrite, ErrorKind.WRITE_ON_NON_PRIMARY, Code.READ_ONLY);
        assertRefused(() -> guard.checkStatement(replica, StatementClassifier.classify("DROP TABLE t"),
                "DROP TABLE t"), ErrorKind.WRITE_ON_NON_PRIMARY, Code.READ_ONLY);
        // Temporary tables are the session's own: MariaDB allows them under read_only.
        for (String temporary : List.of("CREATE TEMPORARY TABLE t (id INT)", "DROP TEMPORARY TABLE t")) {
            assertThatCode(() -> guard.checkStatement(replica, StatementClassifier.classify(temporary), temporary))
                    .doesNotThrowAnyException();
        }
        assertThatCode(() -> guard.checkStatement(replica, StatementClassifier.classify("SELECT 1"), "SELECT 1"))
                .doesNotThrowAnyException();
        ServingState primary = replica.withType(TabletType.PRIMARY);
        assertThat(guard.checkStatement(primary, StatementClassifier.classify("DELETE FROM t"), "DELETE FROM t"))
                .as("a primary writes anywhere").isNull();

        ServingState denied = replica.withDeniedTables(TabletType.REPLICA, Set.of("secret"))
                .withDeniedTables(TabletType.PRIMARY, Set.of("other"));
        String sql = "SELECT * FROM t JOIN secret s ON s.id = t.id";
        assertRefused(() -> guard.checkStatement(denied, StatementClassifier.classify(sql), sql),
                ErrorKind.DENIED_TABLE, Code.FAILED_PRECONDITION);
        assertThatCode(() -> guard.checkStatement(denied, StatementClassifier.classify("SELECT * FROM other"),
                "SELECT * FROM other")).doesNotThrowAnyException();
    }
}
