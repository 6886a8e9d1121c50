package io.tessera.queryservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.tessera.queryservice.MultiplexExecuteTest.inContext;
import static io.tessera.queryservice.MultiplexExecuteTest.request;
import static io.tessera.queryservice.MultiplexExecuteTest.sqlOf;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoop;
import io.tessera.common.errors.TesseraException;
import io.tessera.common.net.EventLoops;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.MultiplexExecuteRequest;
import io.tessera.proto.query.MultiplexExecuteRequests;
import io.tessera.proto.query.MultiplexExecuteResponses;
import io.tessera.proto.vtrpc.Code;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * The framed multiplex port end to end over real sockets on an event loop, as the gate and the tablet run it: a
 * loop's Executes share one connection and each gets its own answer, errors and cancellation carry over as on a gRPC
 * stream, the caller going away cancels what runs, a port that cannot be reached sends everything over gRPC instead,
 * a broken connection fails what waits on it and the next request connects again, a closing server answers what it
 * started and ends its streams, a finished connection still waiting can be abandoned; and at the wire, anything but a Tessera client's preamble, a frame that is not a
 * message and a frame over the limit each close that one connection while others go on.
 */
class FramedMultiplexTest {
    private final EventLoops loops = EventLoops.start(1, "framed-test");
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private MultiplexExecuteTest.InlineEchoService service;
    private QueryServiceGrpcAdapter adapter;
    private FramedMultiplexServer framed;
    private Server grpc;
    private ManagedChannel channel;
    private GrpcQueryServiceClient client;

    @BeforeEach
    void setUp() throws IOException {
        service = new MultiplexExecuteTest.InlineEchoService();
        adapter = new QueryServiceGrpcAdapter(service, workers);
        framed = FramedMultiplexServer.bind(new InetSocketAddress("127.0.0.1", 0), loops.group(), loops.group(),
                loops.serverSocketChannelType());
        framed.serve(adapter);
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .bossEventLoopGroup(loops.group()).workerEventLoopGroup(loops.group())
                .channelType(loops.serverSocketChannelType())
                .executor(MoreExecutors.directExecutor())
                .callExecutor(QueryServiceGrpcAdapter.callExecutors(workers))
                .addService(adapter).build().start();
        connect(framed.port());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        service.release.countDown();
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        framed.close();
        grpc.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        workers.shutdownNow();
        loops.close();
    }

    @Test
    void executesOnTheLoopShareOneConnectionAndEachGetsItsOwnAnswer() {
        List<CompletableFuture<ExecuteResponse>> answers =
                startOnLoop(200, i -> (i % 2 == 0 ? "inline " : "select ") + i);
        for (int i = 0; i < 200; i++) {
            assertThat(sqlOf(answers.get(i).join())).isEqualTo((i % 2 == 0 ? "inline " : "select ") + i);
        }
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select again"))).join()))
                .isEqualTo("select again");
        assertThat(adapter.framedExecutes()).isEqualTo(201);
        assertThat(adapter.multiplexedExecutes()).as("nothing went over gRPC").isZero();
        assertThat(framed.openConnections()).isEqualTo(1);
        assertThat(service.inline.get()).isEqualTo(100);
    }

    @Test
    void errorsArriveWithCodeErrnoAndSqlState() {
        TesseraException e = failure(onLoop(() -> client.executeAsync(request("fail"))));
        assertThat(e.mysqlErrno()).isEqualTo(1062);
        assertThat(e.sqlState()).isEqualTo("23000");
        assertThat(e.getMessage()).contains("Duplicate entry");
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 1"))).join())).isEqualTo("select 1");
    }

    @Test
    void aRequestSentInACancellableContextIsCancelledWithItAndStillAnswered() throws InterruptedException {
        Context.CancellableContext context = Context.current().withCancellation();
        CompletableFuture<ExecuteResponse> answer =
                onLoop(() -> inContext(context, () -> client.executeAsync(request("until cancelled"))));
        awaitRunning(1);
        context.cancel(null);
        TesseraException e = failure(answer);
        assertThat(e.getMessage()).contains("killed on the tablet");
        assertThat(service.cancelled.get()).isEqualTo(1);
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 2"))).join())).isEqualTo("select 2");
        assertThat(framed.openConnections()).isEqualTo(1);
    }

    @Test
    void aCallerThatGoesAwayCancelsWhatStillRunsForIt() throws Exception {
        try (Socket s = rawClient()) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.write(MultiplexFraming.PREAMBLE);
            writeFrame(out, MultiplexExecuteRequests.newBuilder().addRequests(MultiplexExecuteRequest.newBuilder()
                    .setId(1).setRequest(request("until cancelled"))).build().toByteArray());
            awaitRunning(1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.cancelled.get() == 0) {
            assertThat(System.nanoTime()).as("the statement was cancelled in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void theWireFormatIsLengthPrefixedMessagesAfterThePreamble() throws IOException {
        try (Socket s = rawClient()) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.write(MultiplexFraming.PREAMBLE);
            writeFrame(out, MultiplexExecuteRequests.newBuilder()
                    .addRequests(MultiplexExecuteRequest.newBuilder().setId(7).setRequest(request("inline x")))
                    .setEnd(true).build().toByteArray());
            DataInputStream in = new DataInputStream(s.getInputStream());
            MultiplexExecuteResponses answer = MultiplexExecuteResponses.parseFrom(readFrame(in));
            assertThat(answer.getResponsesList()).singleElement().satisfies(r -> {
                assertThat(r.getId()).isEqualTo(7);
                assertThat(sqlOf(r.getResponse())).isEqualTo("inline x");
            });
            // The half-close was answered by the end of the stream, then the connection closed.
            MultiplexExecuteResponses end = answer.getEnd() ? answer : MultiplexExecuteResponses.parseFrom(readFrame(in));
            assertThat(end.getEnd()).isTrue();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aConnectionWithoutThePreambleIsClosedAndOthersGoOn() throws IOException {
        try (Socket s = rawClient()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 3"))).join())).isEqualTo("select 3");
    }

    @Test
    void aFrameThatIsNotAMessageEndsThatConnectionWithAnError() throws IOException {
        try (Socket s = rawClient()) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.write(MultiplexFraming.PREAMBLE);
            writeFrame(out, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            DataInputStream in = new DataInputStream(s.getInputStream());
            MultiplexExecuteResponses answer = MultiplexExecuteResponses.parseFrom(readFrame(in));
            assertThat(answer.getError().getCode()).isEqualTo(Code.INVALID_ARGUMENT);
            assertThat(answer.getError().getMessage()).contains("not a MultiplexExecuteRequests message");
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 4"))).join())).isEqualTo("select 4");
    }

    @Test
    void aFrameOverTheLimitEndsThatConnectionWithAnError() throws IOException {
        try (Socket s = rawClient()) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.write(MultiplexFraming.PREAMBLE);
            out.writeInt(MultiplexFraming.MAX_FRAME_BYTES + 1);
            out.write(new byte[1024]);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            MultiplexExecuteResponses answer = MultiplexExecuteResponses.parseFrom(readFrame(in));
            assertThat(answer.getError().getMessage()).contains("over the limit");
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select 5"))).join())).isEqualTo("select 5");
    }

    @Test
    void aPortThatCannotBeReachedSendsEverythingOverGrpc() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        reconnect(closedPort);
        List<CompletableFuture<ExecuteResponse>> answers = startOnLoop(20, i -> "select " + i);
        for (int i = 0; i < 20; i++) {
            assertThat(sqlOf(answers.get(i).join())).isEqualTo("select " + i);
        }
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select later"))).join()))
                .isEqualTo("select later");
        assertThat(adapter.multiplexedExecutes()).as("all on one gRPC stream").isEqualTo(21);
        assertThat(adapter.framedExecutes()).isZero();
    }

    @Test
    void aBrokenConnectionFailsWhatWaitsOnItAndTheNextRequestConnectsAgain() throws Exception {
        // A port that takes the connection and the request, then hangs up without answering.
        try (ServerSocket dropping = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!dropping.isClosed()) {
                    try (Socket s = dropping.accept()) {
                        accepted.incrementAndGet();
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        in.readFully(new byte[MultiplexFraming.PREAMBLE.length]);
                        readFrame(in);
                    } catch (IOException e) {
                        // closed: the test is over
                    }
                }
            });
            reconnect(dropping.getLocalPort());
            TesseraException e = failure(onLoop(() -> client.executeAsync(request("select 1"))));
            assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getMessage()).contains("multiplex port").contains("closed");
            failure(onLoop(() -> client.executeAsync(request("select 2"))));
            assertThat(accepted.get()).isEqualTo(2);
        }
    }

    @Test
    void aServerClosingAnswersWhatItStartedThenRequestsGoOverGrpc() throws Exception {
        CompletableFuture<ExecuteResponse> held = onLoop(() -> client.executeAsync(request("hold")));
        awaitRunning(1);
        Thread closing = Thread.ofVirtual().start(framed::close);
        // The port stops listening at once; the stream it carries stays until what it started is answered.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (canConnect(framed.port())) {
            assertThat(System.nanoTime()).as("the port closed in time").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(held).isNotDone();
        service.release.countDown();
        assertThat(sqlOf(held.join())).isEqualTo("hold");
        closing.join();
        assertThat(framed.openConnections()).isZero();
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("select after"))).join()))
                .isEqualTo("select after");
        assertThat(adapter.multiplexedExecutes()).isEqualTo(1);
    }

    @Test
    void abandoningClosesAFinishedConnectionStillWaitingAndFailsWhatWaits() throws InterruptedException {
        CompletableFuture<ExecuteResponse> held = onLoop(() -> client.executeAsync(request("hold")));
        awaitRunning(1);
        client.finishStreams();
        assertThat(held).isNotDone();
        client.abandonStreams();
        TesseraException e = failure(held);
        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(e.getMessage()).contains("stopped using the tablet");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (framed.openConnections() > 0) {
            assertThat(System.nanoTime()).as("the tablet saw the connection close").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(sqlOf(onLoop(() -> client.executeAsync(request("inline next"))).join())).isEqualTo("inline next");
    }

    private void connect(int framedPort) {
        EventLoop loop = loops.loops().getFirst();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.getPort()).usePlaintext()
                .eventLoopGroup(loop).channelType(loops.socketChannelType()).build();
        client = GrpcQueryServiceClient.onLoop(channel, loop, new MultiplexEndpoint(
                new InetSocketAddress("127.0.0.1", framedPort), loops.socketChannelType()));
    }

    private void reconnect(int framedPort) {
        channel.shutdownNow();
        connect(framedPort);
    }

    private Socket rawClient() throws IOException {
        Socket s = new Socket("127.0.0.1", framed.port());
        s.setSoTimeout(30_000);
        return s;
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeFrame(DataOutputStream out, byte[] message) throws IOException {
        out.writeInt(message.length);
        out.write(message);
        out.flush();
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new EOFException("bad length " + length);
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    /** Waits until the service has started {@code n} blocking executes. */
    private void awaitRunning(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.blocking.get() < n) {
            assertThat(System.nanoTime()).as("the service started a request in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Starts {@code n} Executes, of {@code sql.apply(0)} to {@code sql.apply(n - 1)}, in one task of the loop. */
    private List<CompletableFuture<ExecuteResponse>> startOnLoop(int n, IntFunction<String> sql) {
        return MultiplexExecuteTest.startOnLoop(loops, client, n, sql);
    }

    /** Runs {@code work} on the client's event loop, as the gate's statements run. */
    private <T> T onLoop(Supplier<T> work) {
        return MultiplexExecuteTest.onLoop(loops, work);
    }

    private static TesseraException failure(CompletableFuture<ExecuteResponse> answer) {
        assertThatThrownBy(() -> answer.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TesseraException.class);
        return (TesseraException) answer.handle((r, t) ->
                t instanceof java.util.concurrent.CompletionException c ? c.getCause() : t).join();
    }
}
