package io.tessera.queryservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.BeginStreamExecuteRequest;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReleaseResponse;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.query.Target;
import io.tessera.proto.queryservice.QueryGrpc;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC client and the server adapter together, over in-process gRPC, with a fake service behind the adapter:
 * requests and results pass unchanged, errors arrive with code, errno and SQLSTATE intact, streams arrive in
 * order, and a reader that stops early cancels the producer.
 */
class GrpcQueryServiceClientTest {
    private static final Target TARGET = Target.newBuilder().setKeyspace("ks").setShard("0")
            .setTabletType(TabletType.PRIMARY).build();

    /** A QueryService whose behaviour each test sets. */
    static final class FakeQueryService implements QueryService {
        volatile Function<ExecuteRequest, ExecuteResponse> execute = r -> ExecuteResponse.getDefaultInstance();
        volatile int streamChunks = 3;
        final CompletableFuture<RuntimeException> streamEnded = new CompletableFuture<>();

        @Override
        public ExecuteResponse execute(ExecuteRequest request) {
            return execute.apply(request);
        }

        @Override
        public void streamExecute(StreamExecuteRequest request, QueryResultConsumer consumer) {
            try {
                consumer.accept(QueryResult.newBuilder().addFields(
                        io.tessera.proto.query.Field.newBuilder().setName("n")).build());
                for (int i = 0; i < streamChunks; i++) {
                    consumer.accept(QueryResult.newBuilder().addRows(CompactRows.ofStrings(Integer.toString(i)))
                            .build());
                }
                streamEnded.complete(null);
            } catch (RuntimeException e) {
                streamEnded.complete(e);
                throw e;
            }
        }

        @Override
        public BeginResponse begin(BeginRequest request) {
            return BeginResponse.newBuilder().setTransactionId(42).build();
        }

        @Override
        public CommitResponse commit(CommitRequest request) {
            throw TesseraException.of(ErrorKind.TX_NOT_FOUND, request.getTransactionId(), "zone1-0000000100");
        }

        @Override
        public RollbackResponse rollback(RollbackRequest request) {
            return RollbackResponse.getDefaultInstance();
        }

        @Override
        public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
            return BeginExecuteResponse.newBuilder().setTransactionId(7)
                    .setError(TesseraException.mysql(1146, "42S02", "Table 'x' doesn't exist", null).toRpcError())
                    .build();
        }

        @Override
        public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
            return ReserveExecuteResponse.newBuilder().setReservedId(9).setResult(QueryResult.newBuilder()
                    .setRowsAffected(request.getPreQueriesCount())).build();
        }

        @Override
        public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
            return ReserveBeginExecuteResponse.newBuilder().setReservedId(9).setTransactionId(10).build();
        }

        @Override
        public ReleaseResponse release(ReleaseRequest request) {
            if (request.getReservedId() != 9) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST, "unknown reserved id " + request.getReservedId());
            }
            return ReleaseResponse.getDefaultInstance();
        }
    }

    private final FakeQueryService fake = new FakeQueryService();
    private final ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor();
    private Server server;
    private ManagedChannel channel;
    private GrpcQueryServiceClient client;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(new QueryServiceGrpcAdapter(fake, streams)).build()
                .start();
        channel = InProcessChannelBuilder.forName(name).build();
        client = new GrpcQueryServiceClient(channel);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        streams.shutdownNow();
    }

    private static ExecuteRequest request(String sql) {
        return ExecuteRequest.newBuilder().setTarget(TARGET).setQuery(BoundQuery.newBuilder().setSql(sql)).build();
    }

    @Test
    void passesReservedConnectionCallsThrough() {
        ReserveExecuteResponse reserved = client.reserveExecute(ReserveExecuteRequest.newBuilder().setTarget(TARGET)
                .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).addPreQueries("SET foreign_key_checks=0")
                .build());
        assertThat(reserved.getReservedId()).isEqualTo(9);
        assertThat(reserved.getResult().getRowsAffected()).isEqualTo(1);
        assertThat(client.reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder().setTarget(TARGET)
                .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()).getTransactionId()).isEqualTo(10);
        client.release(ReleaseRequest.newBuilder().setTarget(TARGET).setReservedId(9).build());
        assertThatThrownBy(() -> client.release(ReleaseRequest.newBuilder().setTarget(TARGET).build()))
                .isInstanceOf(TesseraException.class).hasMessageContaining("neither a transaction id nor a reserved id");
    }

    @Test
    void passesRequestsAndResultsThrough() {
        fake.execute = r -> ExecuteResponse.newBuilder().setResult(QueryResult.newBuilder().setRowsAffected(3)
                .addRows(CompactRows.ofStrings(r.getQuery().getSql(), null))).build();
        QueryResult result = client.execute(request("SELECT 1")).getResult();
        assertThat(result.getRowsAffected()).isEqualTo(3);
        assertThat(CompactRows.strings(result.getRows(0))).containsExactly("SELECT 1", null);
        assertThat(client.begin(BeginRequest.newBuilder().setTarget(TARGET).build()).getTransactionId())
                .isEqualTo(42);
    }

    @Test
    void errorsArriveWithCodeErrnoAndSqlstateIntact() {
        fake.execute = r -> {
            throw TesseraException.mysql(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'", null);
        };
        assertThatThrownBy(() -> client.execute(request("INSERT"))).isInstanceOfSatisfying(TesseraException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MYSQL_ERROR);
                    assertThat(e.code()).isEqualTo(Code.ALREADY_EXISTS);
                    assertThat(e.mysqlErrno()).isEqualTo(1062);
                    assertThat(e.sqlState()).isEqualTo("23000");
                    assertThat(e.getMessage()).isEqualTo("Duplicate entry '1' for key 'PRIMARY'");
                });
        assertThatThrownBy(() -> client.commit(CommitRequest.newBuilder().setTarget(TARGET).setTransactionId(5)
                .build())).isInstanceOfSatisfying(TesseraException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TX_NOT_FOUND);
                    assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
                    assertThat(e.getMessage()).contains("transaction 5 not found");
                });
        BeginExecuteResponse be = client.beginExecute(BeginExecuteRequest.newBuilder().setTarget(TARGET)
                .setQuery(BoundQuery.newBuilder().setSql("SELECT * FROM x")).build());
        assertThat(be.getTransactionId()).isEqualTo(7);
        assertThat(be.getError().getMysqlErrno()).isEqualTo(1146);
        assertThat(be.getError().getSqlstate()).isEqualTo("42S02");
    }

    @Test
    void aBugInTheServiceIsAnInternalErrorAndTheServerKeepsServing() {
        fake.execute = r -> {
            throw new IllegalStateException("boom");
        };
        assertThatThrownBy(() -> client.execute(request("SELECT 1"))).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.code()).isEqualTo(Code.INTERNAL));
        fake.execute = r -> ExecuteResponse.getDefaultInstance();
        assertThat(client.execute(request("SELECT 1"))).isEqualTo(ExecuteResponse.getDefaultInstance());
    }

    @Test
    void incompleteRequestsAreRefusedBeforeTheService() {
        assertThatThrownBy(() -> client.execute(ExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()))
                .isInstanceOfSatisfying(TesseraException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                    assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
                });
        assertThatThrownBy(() -> client.execute(request("  "))).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
        assertThatThrownBy(() -> client.rollback(RollbackRequest.newBuilder().setTarget(TARGET).build()))
                .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.getMessage())
                        .contains("no transaction id"));
    }

    @Test
    void rpcsNotBuiltYetAnswerUnimplementedSayingWhich() {
        QueryGrpc.QueryBlockingStub stub = QueryGrpc.newBlockingStub(channel);
        assertThatThrownBy(() -> stub.beginStreamExecute(BeginStreamExecuteRequest.newBuilder().setTarget(TARGET)
                .build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    TesseraException t = GrpcErrors.fromStatus(e);
                    assertThat(t.kind()).isEqualTo(ErrorKind.UNIMPLEMENTED);
                    assertThat(t.code()).isEqualTo(Code.UNIMPLEMENTED);
                    assertThat(t.getMessage()).contains("BeginStreamExecute");
                });
    }

    @Test
    void streamsArriveFieldsFirstThenRowsInOrder() {
        fake.streamChunks = 50;
        List<QueryResult> chunks = new ArrayList<>();
        client.streamExecute(StreamExecuteRequest.newBuilder().setTarget(TARGET)
                .setQuery(BoundQuery.newBuilder().setSql("SELECT n")).build(), chunks::add);
        assertThat(chunks).hasSize(51);
        assertThat(chunks.get(0).getFieldsCount()).isEqualTo(1);
        assertThat(chunks.get(0).getRowsCount()).isZero();
        for (int i = 0; i < 50; i++) {
            assertThat(CompactRows.strings(chunks.get(i + 1).getRows(0))).containsExactly(Integer.toString(i));
        }
    }

    @Test
    void aReaderThatStopsEarlyCancelsTheProducer() throws Exception {
        fake.streamChunks = Integer.MAX_VALUE;
        List<QueryResult> seen = new ArrayList<>();
        assertThatThrownBy(() -> client.streamExecute(StreamExecuteRequest.newBuilder().setTarget(TARGET)
                .setQuery(BoundQuery.newBuilder().setSql("SELECT n")).build(), chunk -> {
                    seen.add(chunk);
                    if (seen.size() == 3) {
                        throw new IllegalStateException("reader gives up");
                    }
                })).hasMessage("reader gives up");
        RuntimeException producerEnd = fake.streamEnded.get(30, TimeUnit.SECONDS);
        assertThat(producerEnd).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.code()).isEqualTo(Code.CANCELED));
    }
}
