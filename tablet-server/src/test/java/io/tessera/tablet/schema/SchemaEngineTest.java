package io.tessera.tablet.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.stub.StreamObserver;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.SchemaTableType;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.query.Type;
import io.tessera.proto.tabletmanagerdata.GetSchemaRequest;
import io.tessera.proto.tabletmanagerdata.SchemaDefinition;
import io.tessera.proto.tabletmanagerdata.TableDefinition;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.tablet.health.HealthReport;
import io.tessera.tablet.health.HealthStreamer;
import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.testing.FreePorts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema engine against a real MariaDB; one server for the class, a fresh database for each test. */
class SchemaEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path root;

    private static ManagedMysqld mysqld;
    private static int nextDb = 1;

    private final List<SchemaChange> changes = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private SchemaEngine engine;
    private String db;

    @BeforeAll
    static void startServer() {
        mysqld = ManagedMysqld.startNew(ManagedMysqldConfig.builder(300, root).port(FreePorts.next())
                .keyspace("commerce").credentials(DbCredentials.withPassword("pw")).startReadOnly(false).build());
    }

    @AfterAll
    static void stopServer() {
        mysqld.close();
    }

    @BeforeEach
    void createDatabase() throws Exception {
        db = "vt_schema" + nextDb++;
        sql("CREATE DATABASE " + db);
        scheduler = Executors.newScheduledThreadPool(1);
        engine = new SchemaEngine(SchemaEngineConfig.forDatabase(db), mysqld.dba(), scheduler);
        engine.addListener(changes::add);
    }

    @AfterEach
    void closeEngine() throws Exception {
        engine.close();
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = mysqld.dba().connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement.replace("$db", db == null ? "" : db));
            }
        }
    }

    private SchemaChange reloadExpectingChange() {
        int before = changes.size();
        engine.reload();
        assertThat(changes).hasSize(before + 1);
        return changes.getLast();
    }

    @Test
    void reportsExactlyTheTablesCreatedAlteredAndDropped() throws Exception {
        engine.open();
        assertThat(engine.current()).hasValueSatisfying(s -> assertThat(s.tables()).isEmpty());
        assertThat(changes).as("the first load is the baseline").isEmpty();

        sql("CREATE TABLE $db.customer (id BIGINT PRIMARY KEY, email VARCHAR(128))",
                "CREATE TABLE $db.corder (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT)",
                "CREATE TABLE $db.product (sku VARCHAR(32) PRIMARY KEY)");
        SchemaChange created = reloadExpectingChange();
        assertThat(created.created()).containsExactly("corder", "customer", "product");
        assertThat(created.altered()).isEmpty();
        assertThat(created.dropped()).isEmpty();

        sql("ALTER TABLE $db.customer ADD COLUMN name VARCHAR(64)");
        SchemaChange altered = reloadExpectingChange();
        assertThat(altered.created()).isEmpty();
        assertThat(altered.altered()).containsExactly("customer");
        assertThat(altered.dropped()).isEmpty();
        assertThat(altered.after().table("customer").orElseThrow().columnNames())
                .containsExactly("id", "email", "name");

        // Rows change sizes, counts and the auto-increment counter, none of which is a schema change.
        sql("INSERT INTO $db.corder (customer_id) VALUES (1), (2), (3)", "ANALYZE TABLE $db.corder");
        engine.reload();
        assertThat(changes).hasSize(2);

        sql("ALTER TABLE $db.corder ADD INDEX by_customer (customer_id)");
        assertThat(reloadExpectingChange().altered()).containsExactly("corder");

        sql("DROP TABLE $db.product", "CREATE VIEW $db.emails AS SELECT id, email FROM $db.customer");
        SchemaChange mixed = reloadExpectingChange();
        assertThat(mixed.created()).containsExactly("emails");
        assertThat(mixed.dropped()).containsExactly("product");
        assertThat(mixed.altered()).isEmpty();
        assertThat(mixed.changedTables()).containsExactly("product");
        assertThat(mixed.changedViews()).containsExactly("emails");

        engine.reload();
        assertThat(changes).hasSize(4);
    }

    @Test
    void reloadsPeriodically() throws Exception {
        engine.close();
        engine = new SchemaEngine(SchemaEngineConfig.forDatabase(db).withReloadTime(Duration.ofMillis(200)),
                mysqld.dba(), scheduler);
        engine.addListener(changes::add);
        engine.open();
        sql("CREATE TABLE $db.t (id INT PRIMARY KEY)");
        await().atMost(WAIT).until(() -> !changes.isEmpty());
        assertThat(changes.getFirst().created()).containsExactly("t");
    }

    @Test
    void getSchemaDescribesColumnsKeysAndStatements() throws Exception {
        sql("CREATE TABLE $db.corder (order_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, "
                        + "customer_id INT NOT NULL, sku VARCHAR(32) NOT NULL, price DECIMAL(10,2), "
                        + "created DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), note TEXT, "
                        + "PRIMARY KEY (customer_id, order_id), UNIQUE KEY by_order (order_id), KEY by_sku (sku))",
                "INSERT INTO $db.corder (customer_id, sku) VALUES (1, 'a'), (2, 'b')",
                "CREATE VIEW $db.skus AS SELECT sku FROM $db.corder");
        SchemaDefinition schema = engine.getSchema(GetSchemaRequest.newBuilder().setIncludeViews(true).build());

        assertThat(schema.getDatabaseSchema()).startsWith("CREATE DATABASE").contains("{{.DatabaseName}}")
                .doesNotContain(db);
        assertThat(schema.getTableDefinitionsList()).extracting(TableDefinition::getName)
                .containsExactly("corder", "skus");

        TableDefinition corder = schema.getTableDefinitions(0);
        assertThat(corder.getType()).isEqualTo("BASE TABLE");
        assertThat(corder.getColumnsList()).containsExactly("order_id", "customer_id", "sku", "price", "created",
                "note");
        assertThat(corder.getPrimaryKeyColumnsList()).containsExactly("customer_id", "order_id");
        assertThat(corder.getSchema()).startsWith("CREATE TABLE `corder`").contains("KEY `by_sku`")
                .doesNotContain("AUTO_INCREMENT=");
        assertThat(corder.getFieldsList()).extracting(Field::getType).containsExactly(Type.UINT64, Type.INT32,
                Type.VARCHAR, Type.DECIMAL, Type.DATETIME, Type.TEXT);
        Field orderId = corder.getFields(0);
        assertThat(orderId.getName()).isEqualTo("order_id");
        assertThat(orderId.getTable()).isEqualTo("corder");
        assertThat(orderId.getColumnType()).isEqualTo("bigint(20) unsigned");
        int flags = orderId.getFlags();
        for (MySqlFlag flag : List.of(MySqlFlag.NOT_NULL_FLAG, MySqlFlag.PRI_KEY_FLAG, MySqlFlag.UNIQUE_KEY_FLAG,
                MySqlFlag.UNSIGNED_FLAG, MySqlFlag.AUTO_INCREMENT_FLAG, MySqlFlag.NUM_FLAG)) {
            assertThat(flags & flag.getNumber()).as(flag.name()).isNotZero();
        }
        Field sku = corder.getFields(2);
        assertThat(sku.getColumnLength()).isEqualTo(32 * 4);
        assertThat(sku.getFlags() & MySqlFlag.MULTIPLE_KEY_FLAG_VALUE).isNotZero();
        assertThat(sku.getFlags() & MySqlFlag.NO_DEFAULT_VALUE_FLAG_VALUE).isNotZero();
        assertThat(sku.getCharset()).isNotEqualTo(63);
        assertThat(corder.getFields(3).getDecimals()).isEqualTo(2);
        assertThat(corder.getFields(4).getDecimals()).isEqualTo(3);
        assertThat(corder.getFields(5).getFlags() & MySqlFlag.BLOB_FLAG_VALUE).isNotZero();

        TableDefinition view = schema.getTableDefinitions(1);
        assertThat(view.getType()).isEqualTo("VIEW");
        assertThat(view.getColumnsList()).containsExactly("sku");
        assertThat(view.getPrimaryKeyColumnsList()).isEmpty();
        assertThat(view.getSchema()).contains("VIEW `skus` AS select").contains("from `corder`").doesNotContain(db);

        // GetSchema reads the live schema, so it also finds (and announces) changes.
        engine.open();
        sql("CREATE TABLE $db.extra (id INT PRIMARY KEY)");
        assertThat(engine.getSchema(GetSchemaRequest.getDefaultInstance()).getTableDefinitionsList())
                .extracting(TableDefinition::getName).containsExactly("corder", "extra");
        assertThat(changes).singleElement().satisfies(c -> assertThat(c.created()).containsExactly("extra"));
    }

    private List<String> names(GetSchemaRequest.Builder request) {
        return engine.getSchema(request.build()).getTableDefinitionsList().stream().map(TableDefinition::getName)
                .toList();
    }

    @Test
    void getSchemaFiltersLikeVitess() throws Exception {
        sql("CREATE TABLE $db.user (id INT PRIMARY KEY)", "CREATE TABLE $db.user_extra (id INT PRIMARY KEY)",
                "CREATE TABLE $db.music (id INT PRIMARY KEY)", "CREATE VIEW $db.user_view AS SELECT id FROM $db.user");

        assertThat(names(GetSchemaRequest.newBuilder())).containsExactly("music", "user", "user_extra");
        assertThat(names(GetSchemaRequest.newBuilder().setIncludeViews(true)))
                .containsExactly("music", "user", "user_extra", "user_view");
        assertThat(names(GetSchemaRequest.newBuilder().addTables("user").setIncludeViews(true)))
                .containsExactly("user");
        assertThat(names(GetSchemaRequest.newBuilder().addTables("/^user/").setIncludeViews(true)))
                .containsExactly("user", "user_extra", "user_view");
        assertThat(names(GetSchemaRequest.newBuilder().addTables("/extra/").addTables("music")))
                .containsExactly("music", "user_extra");
        assertThat(names(GetSchemaRequest.newBuilder().addExcludeTables("/^user/")))
                .containsExactly("music");
        assertThat(names(GetSchemaRequest.newBuilder().addTables("/^user/").addExcludeTables("user_extra")))
                .containsExactly("user");
        assertThat(names(GetSchemaRequest.newBuilder().addTables("nosuch"))).isEmpty();

        TableDefinition onlySchema = engine.getSchema(GetSchemaRequest.newBuilder().addTables("music")
                .setTableSchemaOnly(true).build()).getTableDefinitions(0);
        assertThat(onlySchema.getSchema()).startsWith("CREATE TABLE `music`");
        assertThat(onlySchema.getType()).isEqualTo("BASE TABLE");
        assertThat(onlySchema.getColumnsCount()).isZero();
        assertThat(onlySchema.getFieldsCount()).isZero();

        assertThatThrownBy(() -> engine.getSchema(GetSchemaRequest.newBuilder().addTables("/(/").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/(/");
    }

    @Test
    void createStatementsForTheGatesSchemaTracker() throws Exception {
        sql("CREATE TABLE $db.a (id INT PRIMARY KEY)", "CREATE TABLE $db.b (id INT PRIMARY KEY)",
                "CREATE VIEW $db.v AS SELECT id FROM $db.a");
        assertThat(engine.createStatements(SchemaTableType.TABLES, List.of()).keySet()).containsExactly("a", "b");
        assertThat(engine.createStatements(SchemaTableType.VIEWS, List.of()).keySet()).containsExactly("v");
        assertThat(engine.createStatements(SchemaTableType.ALL, List.of("b", "v", "nosuch")).keySet())
                .containsExactly("b", "v");
        assertThat(engine.createStatements(SchemaTableType.UDFS, List.of())).isEmpty();
        assertThat(engine.createStatements(SchemaTableType.TABLES, List.of("a")).get("a"))
                .startsWith("CREATE TABLE `a`");
    }

    @Test
    void aMissingDatabaseHasAnEmptySchema() {
        SchemaEngine missing = new SchemaEngine(SchemaEngineConfig.forDatabase("vt_nosuch"), mysqld.dba(),
                scheduler);
        Schema schema = missing.reload();
        assertThat(schema.tables()).isEmpty();
        assertThat(schema.databaseCreateStatement()).isEmpty();
        assertThat(missing.getSchema(GetSchemaRequest.getDefaultInstance()).getDatabaseSchema()).isEmpty();
    }

    @Test
    void theHealthStreamAnnouncesChangedTables() throws Exception {
        Target target = Target.newBuilder().setKeyspace("commerce").setShard("0")
                .setTabletType(TabletType.REPLICA).build();
        try (HealthStreamer streamer = new HealthStreamer(TabletAlias.newBuilder().setCell("zone1").setUid(300)
                .build(), HealthReport.notYetChecked(target))) {
            engine.addListener(c -> streamer.announceSchemaChange(c.changedTables(), c.changedViews()));
            BlockingQueue<StreamHealthResponse> received = new LinkedBlockingQueue<>();
            streamer.subscribe(new StreamObserver<>() {
                @Override
                public void onNext(StreamHealthResponse value) {
                    received.add(value);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
            });
            engine.open();
            sql("CREATE TABLE $db.t1 (id INT PRIMARY KEY)", "CREATE VIEW $db.v1 AS SELECT id FROM $db.t1");
            engine.reload();
            sql("ALTER TABLE $db.t1 ADD COLUMN c INT");
            engine.reload();

            List<StreamHealthResponse> messages = new ArrayList<>(received);
            assertThat(messages).hasSize(3);
            assertThat(messages.get(0).getRealtimeStats().getTableSchemaChangedList()).isEmpty();
            assertThat(messages.get(1).getRealtimeStats().getTableSchemaChangedList()).containsExactly("t1");
            assertThat(messages.get(1).getRealtimeStats().getViewSchemaChangedList()).containsExactly("v1");
            assertThat(messages.get(2).getRealtimeStats().getTableSchemaChangedList()).containsExactly("t1");
            assertThat(messages.get(2).getRealtimeStats().getViewSchemaChangedList()).isEmpty();
        }
    }

    @Test
    void anUnreachableServerFailsTheReloadAndKeepsTheLastSchema() throws Exception {
        sql("CREATE TABLE $db.t (id INT PRIMARY KEY)");
        engine.reload();
        ManagedMysqld other = ManagedMysqld.startNew(ManagedMysqldConfig.builder(301, root).port(FreePorts.next())
                .keyspace("commerce").credentials(DbCredentials.withPassword("pw")).build());
        SchemaEngine stopped;
        try {
            stopped = new SchemaEngine(SchemaEngineConfig.forDatabase("vt_commerce"), other.dba(), scheduler);
            stopped.reload();
        } finally {
            other.close();
        }
        assertThatThrownBy(stopped::reload).isInstanceOf(SchemaLoadException.class)
                .hasMessageContaining("cannot read the schema of vt_commerce");
        assertThat(stopped.current()).isPresent();
        assertThat(engine.current().orElseThrow().table("t")).isPresent();
    }
}
