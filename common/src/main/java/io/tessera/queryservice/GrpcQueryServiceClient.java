package io.tessera.queryservice;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReleaseResponse;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.query.StreamExecuteResponse;
import io.tessera.proto.queryservice.QueryGrpc;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link QueryService} over gRPC: the gate's handle on one tablet. It uses one long-lived channel (HTTP/2 carries
 * every concurrent call on it), and turns a failed call back into the
 * {@link io.tessera.common.errors.TesseraException} the tablet raised, read from the
 * {@value io.tessera.common.errors.GrpcErrors#TRAILER_NAME} trailer.
 *
 * <p>Streamed results are pulled one message at a time, so gRPC flow control holds the tablet back while the
 * consumer is busy; nothing is buffered here beyond the message being consumed.
 */
public final class GrpcQueryServiceClient implements QueryService, AsyncExecute, AutoCloseable {
    /** Largest message accepted from a tablet: an Execute result is capped by rows, not bytes, so allow plenty. */
    public static final int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final ManagedChannel ownedChannel;
    private final QueryGrpc.QueryBlockingStub stub;
    /** Answers run on the thread that received them (the channel's event loop): see {@link #executeAsync}. */
    private final QueryGrpc.QueryStub asyncStub;
    /** The loop's shared stream for {@link #executeAsync}, or null for a client not tied to a loop. */
    private final MultiplexedExecutes multiplexed;

    /** A client on {@code channel}, which the caller keeps and closes. */
    public GrpcQueryServiceClient(Channel channel) {
        this(channel, null, null);
    }

    private GrpcQueryServiceClient(Channel channel, ManagedChannel owned, EventExecutor loop) {
        this(channel, owned, loop, null);
    }

    private GrpcQueryServiceClient(Channel channel, ManagedChannel owned, EventExecutor loop,
            MultiplexEndpoint framed) {
        Objects.requireNonNull(channel, "channel");
        this.ownedChannel = owned;
        this.stub = QueryGrpc.newBlockingStub(channel).withMaxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
        this.asyncStub = QueryGrpc.newStub(channel).withMaxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .withExecutor(Runnable::run);
        this.multiplexed = loop == null ? null : new MultiplexedExecutes(asyncStub,
                framed == null ? null : new FramedMultiplexClient(framed, (EventLoop) loop), loop, this::executeUnary);
    }

    /**
     * A client on {@code channel}, a channel whose transport runs on the event loop {@code loop}: an
     * {@link #executeAsync} made on that loop goes over one long-lived {@code MultiplexExecuteBatches} stream shared by
     * all of them instead of a call of its own (see {@link MultiplexedExecutes}); everything else is as
     * {@link #GrpcQueryServiceClient(Channel)}. The caller keeps and closes the channel, and calls
     * {@link #finishStreams} before shutting it down.
     */
    public static GrpcQueryServiceClient onLoop(Channel channel, EventExecutor loop) {
        return new GrpcQueryServiceClient(channel, null, Objects.requireNonNull(loop, "loop"));
    }

    /**
     * As {@link #onLoop(Channel, EventExecutor)}, with the loop's shared stream on the tablet's framed multiplex port
     * at {@code framed} (see {@link FramedMultiplexServer}) instead of gRPC while that port can be reached.
     */
    public static GrpcQueryServiceClient onLoop(Channel channel, EventLoop loop, MultiplexEndpoint framed) {
        return new GrpcQueryServiceClient(channel, null, Objects.requireNonNull(loop, "loop"),
                Objects.requireNonNull(framed, "framed"));
    }

    /** A client with its own plaintext channel to the tablet at {@code host:port}; {@link #close()} closes it. */
    public static GrpcQueryServiceClient connect(String host, int port) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .build();
        return new GrpcQueryServiceClient(channel, channel, null);
    }

    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        return call(() -> stub.execute(request));
    }

    @Override
    public CompletableFuture<ExecuteResponse> executeAsync(ExecuteRequest request) {
        if (multiplexed != null && multiplexed.onLoop()) {
            return multiplexed.execute(request);
        }
        return executeUnary(request);
    }

    private CompletableFuture<ExecuteResponse> executeUnary(ExecuteRequest request) {
        CompletableFuture<ExecuteResponse> done = new CompletableFuture<>();
        try {
            asyncStub.execute(request, new StreamObserver<>() {
                private ExecuteResponse response;

                @Override
                public void onNext(ExecuteResponse value) {
                    response = value;
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(GrpcErrors.asTesseraException(t));
                }

                @Override
                public void onCompleted() {
                    done.complete(response);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(GrpcErrors.asTesseraException(e));
        }
        return done;
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, QueryResultConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        // The call runs in its own cancellable context so that ending early (the consumer threw) cancels it on the
        // tablet instead of leaving the query running there.
        Context.CancellableContext context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            Iterator<StreamExecuteResponse> responses = stub.streamExecute(request);
            while (responses.hasNext()) {
                consumer.accept(responses.next().getResult());
            }
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.fromStatus(e);
        } finally {
            context.detach(previous);
            context.cancel(null);
        }
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        return call(() -> stub.begin(request));
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        return call(() -> stub.commit(request));
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        return call(() -> stub.rollback(request));
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        return call(() -> stub.beginExecute(request));
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        return call(() -> stub.reserveExecute(request));
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        return call(() -> stub.reserveBeginExecute(request));
    }

    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        return call(() -> stub.release(request));
    }

    /**
     * Half-closes this client's multiplexed stream, if it has one open: the tablet answers the requests on it and
     * ends it, so it does not hold up a graceful shutdown of the channel. A later {@link #executeAsync} opens a new
     * one.
     */
    public void finishStreams() {
        if (multiplexed != null) {
            multiplexed.finish();
        }
    }

    /**
     * Closes this client's framed multiplex connections at once, failing what still waits on them: for a tablet
     * dropped a grace period after {@link #finishStreams}, as its channel is shut down for good.
     */
    public void abandonStreams() {
        if (multiplexed != null) {
            multiplexed.abandon();
        }
    }

    /** Closes the channel if this client opened it; calls in flight are cut off after a short grace period. */
    @Override
    public void close() {
        if (ownedChannel == null) {
            return;
        }
        ownedChannel.shutdown();
        try {
            if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
                ownedChannel.shutdownNow();
                ownedChannel.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            ownedChannel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T call(Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.fromStatus(e);
        }
    }
}
