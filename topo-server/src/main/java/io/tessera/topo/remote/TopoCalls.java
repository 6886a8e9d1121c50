package io.tessera.topo.remote;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.tessera.proto.topo.TopoGrpc;
import io.tessera.topo.TopoException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Makes calls on one channel with the connection's deadline and turns failed calls into {@link TopoException}s,
 * so every remote operation fails the same way.
 */
final class TopoCalls {

    /** One blocking call. */
    @FunctionalInterface
    interface Rpc<T> {
        T call(TopoGrpc.TopoBlockingStub stub);
    }

    private final Channel channel;
    private final String target;
    private final Duration callTimeout;

    TopoCalls(Channel channel, String target, Duration callTimeout) {
        this.channel = channel;
        this.target = target;
        this.callTimeout = callTimeout;
    }

    String target() {
        return target;
    }

    Duration callTimeout() {
        return callTimeout;
    }

    /** Runs {@code rpc} with the usual deadline. */
    <T> T unary(String path, Rpc<T> rpc) throws TopoException {
        return unary(path, callTimeout, rpc);
    }

    /** Runs {@code rpc} with the given deadline. */
    <T> T unary(String path, Duration deadline, Rpc<T> rpc) throws TopoException {
        try {
            return rpc.call(TopoGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS));
        } catch (StatusRuntimeException e) {
            throw failure(e, path);
        }
    }

    /** A stub for calls that must not block the calling thread. */
    TopoGrpc.TopoFutureStub futureStub(Duration deadline) {
        return TopoGrpc.newFutureStub(channel).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A stub without a deadline, for a watch stream that lives until it is cancelled. */
    TopoGrpc.TopoBlockingStub streamStub() {
        return TopoGrpc.newBlockingStub(channel);
    }

    TopoException failure(StatusRuntimeException e, String path) {
        return TopoStatusCodes.toTopoException(e, path, target);
    }
}
