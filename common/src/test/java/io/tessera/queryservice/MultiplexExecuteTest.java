package io.tessera.queryservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoop;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.common.net.EventLoops;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.MultiplexExecuteRequest;
import io.tessera.proto.query.MultiplexExecuteRequests;
import io.tessera.proto.query.MultiplexExecuteResponses;
import io.tessera.proto.query.MultiplexExecuteResponse;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code MultiplexExecuteBatches} end to end over real Netty transports on an event loop, as the gate and the tablet
 * run it: a loop's Executes share one stream and each gets its own answer (in any order, errors intact), requests
 * made in one pass of the loop travel in one message and so do answers ready together, calls from other
 * threads stay unary, a broken stream fails what waits on it and the next request opens a new one, a tablet
 * without the method gets unary calls instead, a finished stream lets the channel (or the server) shut down as soon
 * as what it started is answered, and requests a stream ended without answering are sent again.
 */
class MultiplexExecuteTest {
    private static final Target TARGET = Target.newBuilder().setKeyspace("ks").setShard("0")
            .setTabletType(TabletType.PRIMARY).build();

    private final EventLoops loops = EventLoops.start(1, "mux-test");
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** The server-side contexts of the MultiplexExecuteBatches calls, as seen by the interceptor. */
    private final List<Context> streamContexts = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Messages received and sent on MultiplexExecuteBatches calls, each a batch of requests or of answers. */
    private final AtomicInteger requestMessages = new AtomicInteger();
    private final AtomicInteger answerMessages = new AtomicInteger();
    private final List<Server> servers = new ArrayList<>();
    private EchoService service;
    private QueryServiceGrpcAdapter adapter;
    private ManagedChannel channel;
    private GrpcQueryServiceClient client;

    /**
     * Answers each Execute with one row holding its SQL; a statement named {@code hold} waits for the latch, one
     * named {@code until cancelled} for its gRPC context to be cancelled.
     */
    static class EchoService implements QueryService {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger blocking = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();

        @Override
        public ExecuteResponse execute(ExecuteRequest request) {
            blocking.incrementAndGet();
            String sql = request.getQuery().getSql();
            if (sql.equals("until cancelled")) {
                CountDownLatch done = new CountDownLatch(1);
                Context.current().addListener(c -> done.countDown(), Runnable::run);
                try {
                    done.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (Context.current().isCancelled()) {
                    cancelled.incrementAndGet();
                    throw TesseraException.of(ErrorKind.CANCELED, "killed on the tablet");
                }
            }
            if (sql.equals("hold")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (sql.equals("fail")) {
                throw TesseraException.mysql(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'", null);
            }
            return echo(sql);
        }

        static ExecuteResponse echo(String sql) {
            return ExecuteResponse.newBuilder().setResult(QueryResult.newBuilder()
                    .addRows(CompactRows.ofStrings(sql))).build();
        }

        @Override
        public void streamExecute(StreamExecuteRequest request, QueryResultConsumer consumer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BeginResponse begin(BeginRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CommitResponse commit(CommitRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RollbackResponse rollback(RollbackRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ReleaseResponse release(ReleaseRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    /** An echo service that also runs statements starting with {@code inline} on the transport thread. */
    static final class InlineEchoService extends EchoService implements InlineExecute {
        final AtomicInteger inline = new AtomicInteger();

        @Override
        public CompletableFuture<ExecuteResponse> executeNow(ExecuteRequest request) {
            if (!request.getQuery().getSql().startsWith("inline")) {
                return null;
            }
            inline.incrementAndGet();
            // Listens to the request's context while it runs, as the tablet's query deadlines do.
            Context.CancellationListener listener = c -> { };
            Context.current().addListener(listener, Runnable::run);
            Context.current().removeListener(listener);
            return CompletableFuture.completedFuture(echo(request.getQuery().getSql()));
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        service = new InlineEchoService();
        adapter = new QueryServiceGrpcAdapter(service, workers);
        connect(serve(ServerInterceptors.intercept(adapter, counting())));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        service.release.countDown();
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        workers.shutdownNow();
        loops.close();
    }

    @Test
    void executesOnTheLoopShareOneStreamAndEachGetsItsOwnAnswer() {
        List<CompletableFuture<ExecuteResponse>> answers =
                startOnLoop(200, i -> (i % 2 == 0 ? "inline " : "select ") + i);
        for (int i = 0; i < 200; i++) {
            assertThat(sqlOf(answers.get(i).join())).isEqualTo((i % 2 == 0 ? "inline " : "select ") + i);
        }
        assertThat(onLoop(() -> client.executeAsync(request("select again"))).join()).satisfies(r ->
                assertThat(sqlOf(r)).isEqualTo("select again"));
        assertThat(count("MultiplexExecuteBatches")).isEqualTo(1);
        assertThat(count("Execute")).isZero();
        assertThat(((InlineEchoService) service).inline.get()).isEqualTo(100);
        assertThat(service.blocking.get()).isEqualTo(101);
        assertThat(adapter.multiplexedExecutes()).isEqualTo(201);
    }

    @Test
    void requestsMadeInOnePassOfTheLoopTravelInOneMessageAndAnswersReadyTogetherToo() {
        List<CompletableFuture<ExecuteResponse>> answers = startOnLoop(50, i -> "inline " + i);
        for (int i = 0; i < 50; i++) {
            assertThat(sqlOf(answers.get(i).join())).isEqualTo("inline " + i);
        }
        // The fifty requests left in one message; the tablet ran them all on its loop in one pass (inline) and
        // so had all fifty answers ready at once, which left in one message too.
        assertThat(requestMessages.get()).isEqualTo(1);
        assertThat(answerMessages.get()).isEqualTo(1);
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("inline again"))).join())).isEqualTo("inline again");
        assertThat(requestMessages.get()).isEqualTo(2);
        assertThat(answerMessages.get()).isEqualTo(2);
    }

    @Test
    void requestsLeaveNoListenersOnTheStreamsContext() {
        // Each request listens to its own context while it runs; none of that may stay on the long-lived stream's
        // context, or every later request pays for scanning what piled up there.
        List<CompletableFuture<ExecuteResponse>> answers = startOnLoop(300, i -> "inline " + i);
        answers.forEach(CompletableFuture::join);
        assertThat(streamContexts).hasSize(1);
        assertThat(streamContexts.getFirst().isCancelled()).isFalse();
        assertThat(io.grpc.ContextListeners.count(streamContexts.getFirst())).isLessThan(5);
    }

    @Test
    void answersComeInTheOrderTheyAreReady() {
        CompletableFuture<ExecuteResponse> held = onLoop(() -> client.executeAsync(request("hold")));
        CompletableFuture<ExecuteResponse> quick = onLoop(() -> client.executeAsync(request("select 1")));
        assertThat(sqlOf(quick.join())).isEqualTo("select 1");
        assertThat(held).isNotDone();
        service.release.countDown();
        assertThat(sqlOf(held.join())).isEqualTo("hold");
    }

    @Test
    void errorsArriveWithCodeErrnoAndSqlState() {
        TesseraException mysql = failure(onLoop(() -> client.executeAsync(request("fail"))));
        assertThat(mysql.mysqlErrno()).isEqualTo(1062);
        assertThat(mysql.sqlState()).isEqualTo("23000");
        assertThat(mysql.getMessage()).contains("Duplicate entry");

        ExecuteRequest noTarget = ExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("select 1")).build();
        TesseraException refused = failure(onLoop(() -> client.executeAsync(noTarget)));
        assertThat(refused.code()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(refused.getMessage()).contains("no target keyspace");

        // The stream outlives failed requests.
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 2"))).join())).isEqualTo("select 2");
        assertThat(count("MultiplexExecuteBatches")).isEqualTo(1);
    }

    @Test
    void aRequestSentInACancellableContextIsCancelledWithItAndStillAnswered() throws InterruptedException {
        Context.CancellableContext statement = Context.current().withCancellation();
        CompletableFuture<ExecuteResponse> cancellable = onLoop(() -> inContext(statement, () ->
                client.executeAsync(request("until cancelled"))));
        CompletableFuture<ExecuteResponse> held = onLoop(() -> client.executeAsync(request("hold")));
        awaitRunning(2);
        assertThat(cancellable).isNotDone();

        statement.cancel(null); // from this thread, as KILL QUERY cancels a statement from another session's
        TesseraException e = failure(cancellable);
        assertThat(e.kind()).as(e.toString()).isEqualTo(ErrorKind.CANCELED);
        assertThat(e.getMessage()).as("the tablet's answer, once the request ended there")
                .contains("killed on the tablet");
        assertThat(service.cancelled.get()).isEqualTo(1);

        // Only that request was cancelled: the other one on the stream, and the stream itself, go on.
        assertThat(held).isNotDone();
        service.release.countDown();
        assertThat(sqlOf(held.join())).isEqualTo("hold");
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 4"))).join())).isEqualTo("select 4");

        // A request sent in a context already cancelled fails without being sent; a cancel that comes after the
        // answer changes nothing.
        TesseraException early = failure(onLoop(() -> inContext(statement, () ->
                client.executeAsync(request("select 5")))));
        assertThat(early.kind()).isEqualTo(ErrorKind.CANCELED);
        Context.CancellableContext answered = Context.current().withCancellation();
        assertThat(sqlOf(onLoop(() -> inContext(answered, () -> client.executeAsync(request("select 6")))).join()))
                .isEqualTo("select 6");
        answered.cancel(null);
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 7"))).join())).isEqualTo("select 7");

        assertThat(count("MultiplexExecuteBatches")).isEqualTo(1);
        assertThat(count("Execute")).isZero();
        assertThat(adapter.multiplexedExecutes()).as("cancels are not executes").isEqualTo(5);
    }

    @Test
    void requestsStillRunningAreCancelledWhenTheClientGoesAway() throws InterruptedException {
        CompletableFuture<ExecuteResponse> running = onLoop(() -> client.executeAsync(request("until cancelled")));
        awaitRunning(1);
        channel.shutdownNow();
        assertThatThrownBy(running::join).hasCauseInstanceOf(TesseraException.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.cancelled.get() == 0) {
            assertThat(System.nanoTime()).as("the request was cancelled on the server").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aRequestOnAChannelThatIsShutDownFailsWithTheChannelsError() {
        channel.shutdown();
        // The stream's call fails as it starts, on the loop itself, before the request could be sent on it.
        TesseraException e = failure(onLoop(() -> client.executeAsync(request("select 10"))));
        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(e.getMessage()).containsIgnoringCase("shutdown");
    }

    @Test
    void callsFromOtherThreadsStayUnary() {
        assertThat(sqlOf(client.executeAsync(request("select 3")).join())).isEqualTo("select 3");
        assertThat(count("Execute")).isEqualTo(1);
        assertThat(count("MultiplexExecuteBatches")).isZero();
    }

    @Test
    void aBrokenStreamFailsWhatWaitsOnItAndTheNextRequestOpensANewOne() throws IOException {
        AtomicInteger streams = new AtomicInteger();
        QueryGrpc.QueryImplBase breaking = new QueryGrpc.QueryImplBase() {
            @Override
            public StreamObserver<MultiplexExecuteRequests> multiplexExecuteBatches(
                    StreamObserver<MultiplexExecuteResponses> responses) {
                int n = streams.incrementAndGet();
                return new StreamObserver<>() {
                    @Override
                    public void onNext(MultiplexExecuteRequests batch) {
                        if (n == 1) {
                            responses.onError(Status.UNAVAILABLE.withDescription("tablet going away")
                                    .asRuntimeException());
                            return;
                        }
                        MultiplexExecuteResponses.Builder answers = MultiplexExecuteResponses.newBuilder();
                        for (MultiplexExecuteRequest r : batch.getRequestsList()) {
                            answers.addResponses(MultiplexExecuteResponse.newBuilder().setId(r.getId())
                                    .setResponse(EchoService.echo(r.getRequest().getQuery().getSql())));
                        }
                        responses.onNext(answers.build());
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                        responses.onCompleted();
                    }
                };
            }
        };
        reconnect(serve(ServerInterceptors.intercept(breaking, counting())));

        TesseraException broken = failure(onLoop(() -> client.executeAsync(request("select 4"))));
        assertThat(broken.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(broken.getMessage()).contains("tablet going away");
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 5"))).join())).isEqualTo("select 5");
        assertThat(count("MultiplexExecuteBatches")).isEqualTo(2);
    }

    @Test
    void aTabletWithoutTheMethodGetsUnaryCalls() throws IOException {
        QueryGrpc.QueryImplBase unaryOnly = new QueryGrpc.QueryImplBase() {
            @Override
            public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> response) {
                response.onNext(EchoService.echo(request.getQuery().getSql()));
                response.onCompleted();
            }
        };
        reconnect(serve(ServerInterceptors.intercept(unaryOnly, counting())));

        List<CompletableFuture<ExecuteResponse>> first = onLoop(() -> List.of(
                client.executeAsync(request("select 6")), client.executeAsync(request("select 7"))));
        assertThat(sqlOf(first.get(0).join())).isEqualTo("select 6");
        assertThat(sqlOf(first.get(1).join())).isEqualTo("select 7");
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 8"))).join())).isEqualTo("select 8");
        assertThat(count("MultiplexExecuteBatches")).isEqualTo(1);
        assertThat(count("Execute")).isEqualTo(3);
    }

    @Test
    void finishingTheStreamAnswersWhatWaitsAndLetsTheChannelShutDown() throws InterruptedException {
        CompletableFuture<ExecuteResponse> held = onLoop(() -> client.executeAsync(request("hold")));
        awaitRunning(1);
        client.finishStreams();
        channel.shutdown();
        assertThat(channel.awaitTermination(300, TimeUnit.MILLISECONDS)).isFalse(); // "hold" is still running
        service.release.countDown();
        assertThat(sqlOf(held.join())).isEqualTo("hold");
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aServerShuttingDownAnswersWhatItStartedThenEndsItsStreams() throws InterruptedException {
        CompletableFuture<ExecuteResponse> held = onLoop(() -> client.executeAsync(request("hold")));
        awaitRunning(1);
        adapter.finishStreams();
        Server server = servers.getFirst();
        server.shutdown();
        assertThat(server.awaitTermination(300, TimeUnit.MILLISECONDS)).isFalse(); // "hold" is still running
        service.release.countDown();
        assertThat(sqlOf(held.join())).isEqualTo("hold");
        assertThat(server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void requestsAStreamEndedWithoutAnsweringAreSentAgainAsUnaryCalls() throws IOException {
        QueryGrpc.QueryImplBase ending = new QueryGrpc.QueryImplBase() {
            @Override
            public StreamObserver<MultiplexExecuteRequests> multiplexExecuteBatches(
                    StreamObserver<MultiplexExecuteResponses> responses) {
                return new StreamObserver<>() {
                    @Override
                    public void onNext(MultiplexExecuteRequests r) {
                        responses.onCompleted(); // as a server that finished its streams before this one arrived
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                };
            }

            @Override
            public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> response) {
                response.onNext(EchoService.echo(request.getQuery().getSql()));
                response.onCompleted();
            }
        };
        reconnect(serve(ServerInterceptors.intercept(ending, counting())));

        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 9"))).join())).isEqualTo("select 9");
        assertThat(count("MultiplexExecuteBatches")).isEqualTo(1);
        assertThat(count("Execute")).isEqualTo(1);
    }

    /** Waits until the service has started {@code n} blocking executes. */
    private void awaitRunning(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.blocking.get() < n) {
            assertThat(System.nanoTime()).as("the service started a request in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private Server serve(ServerServiceDefinition definition) throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .bossEventLoopGroup(loops.group()).workerEventLoopGroup(loops.group())
                .channelType(loops.serverSocketChannelType())
                .executor(MoreExecutors.directExecutor())
                .callExecutor(QueryServiceGrpcAdapter.callExecutors(workers))
                .addService(definition).build().start();
        servers.add(server);
        return server;
    }

    private void connect(Server server) {
        EventLoop loop = loops.loops().getFirst();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .eventLoopGroup(loop).channelType(loops.socketChannelType()).build();
        client = GrpcQueryServiceClient.onLoop(channel, loop);
    }

    private void reconnect(Server server) throws IOException {
        channel.shutdownNow();
        calls.clear();
        connect(server);
    }

    /** Counts calls by method name. */
    private ServerInterceptor counting() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                calls.computeIfAbsent(call.getMethodDescriptor().getBareMethodName(), k -> new AtomicInteger())
                        .incrementAndGet();
                if (!call.getMethodDescriptor().getBareMethodName().equals("MultiplexExecuteBatches")) {
                    return next.startCall(call, headers);
                }
                streamContexts.add(Context.current());
                ServerCall.Listener<Q> listener = next.startCall(
                        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                            @Override
                            public void sendMessage(R message) {
                                answerMessages.incrementAndGet();
                                super.sendMessage(message);
                            }
                        }, headers);
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                    @Override
                    public void onMessage(Q message) {
                        requestMessages.incrementAndGet();
                        super.onMessage(message);
                    }
                };
            }
        };
    }

    private int count(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** Runs {@code work} on the client's event loop, as the gate's statements run. */
    /** Starts {@code n} Executes, of {@code sql.apply(0)} to {@code sql.apply(n - 1)}, in one task of the loop. */
    private List<CompletableFuture<ExecuteResponse>> startOnLoop(int n, IntFunction<String> sql) {
        return startOnLoop(loops, client, n, sql);
    }

    /** {@code n} Executes of {@code client}, started in one task of the first of {@code loops}. */
    static List<CompletableFuture<ExecuteResponse>> startOnLoop(EventLoops loops, GrpcQueryServiceClient client, int n,
            IntFunction<String> sql) {
        return onLoop(loops, () -> {
            List<CompletableFuture<ExecuteResponse>> started = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                started.add(client.executeAsync(request(sql.apply(i))));
            }
            return started;
        });
    }

    private <T> T onLoop(Supplier<T> work) {
        return onLoop(loops, work);
    }

    /** Runs {@code work} on the first of {@code loops}. */
    static <T> T onLoop(EventLoops loops, Supplier<T> work) {
        try {
            return loops.loops().getFirst().submit(work::get).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ExecuteRequest request(String sql) {
        return ExecuteRequest.newBuilder().setTarget(TARGET).setQuery(BoundQuery.newBuilder().setSql(sql)).build();
    }

    static String sqlOf(ExecuteResponse response) {
        return CompactRows.strings(response.getResult().getRows(0)).getFirst();
    }

    /** Runs {@code work} with {@code context} attached, as the gate runs a statement in its own context. */
    static <T> T inContext(Context context, Supplier<T> work) {
        Context previous = context.attach();
        try {
            return work.get();
        } finally {
            context.detach(previous);
        }
    }

    private static TesseraException failure(CompletableFuture<ExecuteResponse> answer) {
        assertThatThrownBy(answer::join).hasCauseInstanceOf(TesseraException.class);
        return (TesseraException) answer.handle((r, t) ->
                t instanceof java.util.concurrent.CompletionException c ? c.getCause() : t).join();
    }
}
