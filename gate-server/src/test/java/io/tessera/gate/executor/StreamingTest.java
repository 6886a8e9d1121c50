package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.queryservice.CompactRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamingTest {
    private final FakeGateway gateway = FakeGateway.standard().answer("SELECT table_schema FROM "
            + "information_schema.tables", QueryResult.newBuilder()
            .addFields(Field.newBuilder().setName("table_schema").setOrgName("TABLE_SCHEMA").setType(Type.VARCHAR))
            .addRows(CompactRows.ofStrings("vt_commerce")).addRows(CompactRows.ofStrings("mysql")).build());
    private final ExecutorFixture f = new ExecutorFixture(gateway).target("commerce");

    private List<QueryResult> stream(String sql) {
        List<QueryResult> chunks = new ArrayList<>();
        f.executor.streamExecute(f.session, f.caller, sql, Map.of(), chunks::add);
        return chunks;
    }

    @Test
    void readsAreStreamedAndRenamedChunkByChunk() {
        List<QueryResult> chunks = stream("SELECT table_schema FROM information_schema.tables");
        assertThat(gateway.lastCall().method()).isEqualTo("stream");
        assertThat(chunks.getFirst().getFieldsCount()).isEqualTo(1);
        assertThat(chunks.subList(1, chunks.size())).flatExtracting(QueryResult::getRowsList)
                .extracting(CompactRows::strings).containsExactly(List.of("commerce"), List.of("mysql"));
    }

    @Test
    void whatCannotBeStreamedRunsWholeAndIsHandedOverInChunks() {
        f.exec("BEGIN");
        List<QueryResult> chunks = stream("SELECT table_schema FROM information_schema.tables");
        // The transaction had to be opened: BeginExecute, not a stream.
        assertThat(gateway.lastCall().method()).isEqualTo("beginExecute");
        assertThat(chunks.getFirst().getRowsCount()).isZero();
        assertThat(chunks.getFirst().getFieldsCount()).isEqualTo(1);
        assertThat(chunks.get(1).getRowsCount()).isEqualTo(2);
        // Now the transaction exists, and the next read streams in it.
        stream("SELECT table_schema FROM information_schema.tables");
        assertThat(gateway.lastCall().method()).isEqualTo("stream");
        assertThat(gateway.lastCall().transactionId()).isEqualTo(f.session.getShardSessions(0).getTransactionId());

        List<QueryResult> gate = stream("SELECT DATABASE()");
        assertThat(gate.getFirst().getFields(0).getName()).isEqualTo("DATABASE()");
        assertThat(gate.get(1).getRowsCount()).isEqualTo(1);
    }
}
