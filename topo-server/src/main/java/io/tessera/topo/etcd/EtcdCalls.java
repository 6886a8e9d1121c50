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

/**
 * Waits for jetcd's asynchronous answers with a bound, and turns every way they can fail into a
 * {@link TopoException} whose code tells the caller what happened and whose message names the path and the
 * etcd endpoints.
 */
final class EtcdCalls {
    private final Duration timeout;
    private final String endpoints;

    EtcdCalls(Duration timeout, List<String> endpoints) {
        this.timeout = timeout;
        this.endpoints = String.join(",", endpoints);
    }

    Duration timeout() {
        return timeout;
    }

    String endpoints() {
        return endpoints;
    }

    /** Waits up to the operation timeout for {@code future}. */
    <T> T await(CompletableFuture<T> future, String operation, String path) throws TopoException {
        return await(future, operation, path, timeout);
    }

    /**
     * Waits up to {@code limit} for {@code future}; cancels it if the wait ends early (timeout or interrupt), so
     * no request outlives the call that made it.
     */
    <T> T await(CompletableFuture<T> future, String operation, String path, Duration limit) throws TopoException {
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

    /** The {@link TopoException} for a failed etcd request. */
    TopoException failure(Throwable cause, String operation, String path) {
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
                default -> Code.UNAVAILABLE;
            };
        }
        return switch (Status.fromThrowable(cause).getCode()) {
            case DEADLINE_EXCEEDED -> Code.TIMEOUT;
            case CANCELLED -> Code.INTERRUPTED;
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
