package io.tessera.topo.etcd;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for jetcd's asynchronous answers with a bound, and turns every way they can fail into a
 * {@link TopoException} whose code tells the caller what happened and whose message names the path and the
 * etcd endpoints.
 */
final class EtcdCalls {
    private final Duration timeout;
    private final String endpoints;
    private final BooleanSupplier connectionClosed;
    private final BooleanSupplier clientClosed;

    /**
     * @param connectionClosed whether the connection these calls belong to is closing or closed: a request cut
     *     short by the close fails with {@code UNAVAILABLE} saying so, whatever jetcd reported
     * @param clientClosed whether the jetcd client is closed: requests are then refused at once, because jetcd
     *     would never answer them
     */
    EtcdCalls(Duration timeout, List<String> endpoints, BooleanSupplier connectionClosed,
            BooleanSupplier clientClosed) {
        this.timeout = timeout;
        this.endpoints = String.join(",", endpoints);
        this.connectionClosed = connectionClosed;
        this.clientClosed = clientClosed;
    }

    String endpoints() {
        return endpoints;
    }

    /** Sends a request and waits up to the operation timeout for its answer. */
    <T> T await(Supplier<CompletableFuture<T>> request, String operation, String path) throws TopoException {
        return await(request, operation, path, timeout);
    }

    /**
     * Sends a request and waits up to {@code limit} for its answer; cancels it if the wait ends early (timeout or
     * interrupt), so no request outlives the call that made it.
     */
    <T> T await(Supplier<CompletableFuture<T>> request, String operation, String path, Duration limit)
            throws TopoException {
        if (clientClosed.getAsBoolean()) {
            throw closed(operation, path);
        }
        CompletableFuture<T> future;
        try {
            future = request.get();
        } catch (RuntimeException e) {
            // jetcd refuses synchronously once its client is closed.
            throw failure(e, operation, path);
        }
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw TopoException.interrupted(path);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TopoException(Code.TIMEOUT, path,
                    operation + " '" + path + "' got no answer from etcd at " + endpoints + " within " + limit, e);
        } catch (ExecutionException e) {
            throw failure(e.getCause(), operation, path);
        } catch (CancellationException e) {
            throw failure(e, operation, path);
        }
    }

    /** The error for an operation refused because the connection is closed. */
    TopoException closed(String operation, String path) {
        return closed(operation, path, null);
    }

    private TopoException closed(String operation, String path, Throwable cause) {
        return new TopoException(Code.UNAVAILABLE, path,
                operation + " '" + path + "': the connection to etcd at " + endpoints + " is closed", cause);
    }

    /** The {@link TopoException} for a failed etcd request. */
    TopoException failure(Throwable cause, String operation, String path) {
        if (connectionClosed.getAsBoolean()) {
            return closed(operation, path, cause);
        }
        Code code = codeOf(cause);
        String what = code == Code.UNAVAILABLE && isCompacted(cause)
                ? "etcd compacted the revisions it needed"
                : describe(cause);
        return new TopoException(code, path,
                operation + " '" + path + "' failed at etcd " + endpoints + ": " + what, cause);
    }

    /** The topology code for a failure; anything unexpected means the backend is not usable right now. */
    static Code codeOf(Throwable cause) {
        if (cause instanceof CancellationException) {
            return Code.INTERRUPTED;
        }
        ErrorCode etcd = etcdCode(cause);
        if (etcd != null) {
            return switch (etcd) {
                case DEADLINE_EXCEEDED -> Code.TIMEOUT;
                case CANCELLED -> Code.INTERRUPTED;
                // etcd refuses what no retry can fix this way, such as a value over its request size limit.
                case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
                default -> Code.UNAVAILABLE;
            };
        }
        return switch (Status.fromThrowable(cause).getCode()) {
            case DEADLINE_EXCEEDED -> Code.TIMEOUT;
            case CANCELLED -> Code.INTERRUPTED;
            case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
            default -> Code.UNAVAILABLE;
        };
    }

    /** True if etcd answered that a lease does not exist (expired or revoked). */
    static boolean isLeaseNotFound(Throwable cause) {
        ErrorCode etcd = etcdCode(cause);
        if (etcd == ErrorCode.NOT_FOUND) {
            return true;
        }
        return Status.fromThrowable(cause).getCode() == Status.Code.NOT_FOUND;
    }

    private static boolean isCompacted(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CompactedException) {
                return true;
            }
        }
        return false;
    }

    private static ErrorCode etcdCode(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof EtcdException e) {
                return e.getErrorCode();
            }
        }
        return null;
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
