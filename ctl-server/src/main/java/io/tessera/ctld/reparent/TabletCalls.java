package io.tessera.ctld.reparent;

import io.grpc.Context;
import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.tabletmanager.TabletManagerException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Calls tablet managers with a deadline: one at a time, in parallel on virtual threads, or in the background.
 * Every call runs inside an {@link io.grpc.Context} whose deadline bounds it, so a wait on the tablet (for a
 * position, for a journal row, for an acknowledgement) ends when the step's time is up.
 */
final class TabletCalls {
    /** Extra time given to a call past its deadline before the caller stops waiting for it anyway. */
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Executor VIRTUAL = r -> Thread.ofVirtual().name("reparent-call").start(r);

    private final TabletManagerDialer dialer;
    private final ScheduledExecutorService timer;

    TabletCalls(TabletManagerDialer dialer, ScheduledExecutorService timer) {
        this.dialer = dialer;
        this.timer = timer;
    }

    /** The outcome of one call: a value, or the failure. */
    record Outcome<T>(Tablet tablet, T value, RuntimeException error) {
        boolean ok() {
            return error == null;
        }

        T valueOrThrow() {
            if (error != null) {
                throw error;
            }
            return value;
        }
    }

    /** Calls {@code rpc} on {@code tablet}, bounded by {@code timeout}; failures are thrown as they came. */
    <T> T call(Tablet tablet, Duration timeout, Function<TabletManagerClient, T> rpc) {
        return await(async(tablet, timeout, rpc), timeout).valueOrThrow();
    }

    /**
     * Like {@link #call} but a failure becomes a {@link CtldException} with the tablet's code, saying what
     * failed and what state the shard is in.
     */
    <T> T callOrFail(Tablet tablet, Duration timeout, Function<TabletManagerClient, T> rpc, String whatFailed,
            String stateAndAdvice) {
        try {
            return call(tablet, timeout, rpc);
        } catch (RuntimeException e) {
            throw Failures.fromTablet(whatFailed, e, stateAndAdvice);
        }
    }

    /** Starts {@code rpc} on {@code tablet} in the background, bounded by {@code timeout}. */
    <T> CompletableFuture<Outcome<T>> async(Tablet tablet, Duration timeout, Function<TabletManagerClient, T> rpc) {
        Context.CancellableContext context = Context.current().withDeadlineAfter(timeout.toNanos(),
                TimeUnit.NANOSECONDS, timer);
        return CompletableFuture.supplyAsync(() -> {
            try {
                T value = context.call(() -> rpc.apply(dialer.dial(tablet)));
                return new Outcome<>(tablet, value, null);
            } catch (RuntimeException e) {
                return new Outcome<T>(tablet, null, e);
            } catch (Exception e) {
                return new Outcome<T>(tablet, null, new IllegalStateException(e.getMessage(), e));
            } finally {
                context.cancel(null);
            }
        }, VIRTUAL);
    }

    /** Calls {@code rpc} on every tablet at once and waits for all of them, each bounded by {@code timeout}. */
    <T> Map<String, Outcome<T>> parallel(Collection<Tablet> tablets, Duration timeout,
            Function<Tablet, Function<TabletManagerClient, T>> rpc) {
        Map<String, CompletableFuture<Outcome<T>>> futures = new LinkedHashMap<>();
        for (Tablet t : tablets) {
            futures.put(ShardSnapshot.alias(t), async(t, timeout, rpc.apply(t)));
        }
        Map<String, Outcome<T>> out = new LinkedHashMap<>();
        futures.forEach((alias, f) -> out.put(alias, await(f, timeout)));
        return out;
    }

    /** Waits for a call started with {@link #async}, giving up a little after its deadline. */
    static <T> Outcome<T> await(CompletableFuture<Outcome<T>> future, Duration timeout) {
        try {
            return future.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome<>(null, null, TabletManagerException.deadlineExceeded("the call did not return within "
                    + timeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtldException(Code.CANCELED, "interrupted while waiting for a tablet call", e);
        } catch (ExecutionException e) {
            return new Outcome<>(null, null, new IllegalStateException(e.getCause()));
        }
    }
}
