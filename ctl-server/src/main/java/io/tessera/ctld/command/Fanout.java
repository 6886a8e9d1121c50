package io.tessera.ctld.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs one call per item on virtual threads, at most {@code concurrency} at a time, and waits for all of them up to
 * a deadline. A call that fails or does not finish in time is reported as a failure of its item; it never fails
 * the others.
 */
final class Fanout {
    private Fanout() {}

    /** The outcome of one item's call: exactly one of {@code value} and {@code error} is non-null. */
    record Outcome<T, R>(T item, R value, Throwable error) {
        boolean ok() {
            return error == null;
        }
    }

    static <T, R> List<Outcome<T, R>> run(List<T> items, int concurrency, Duration timeout, Function<T, R> call) {
        Semaphore permits = new Semaphore(Math.max(1, concurrency));
        List<Future<R>> futures = new ArrayList<>(items.size());
        List<Outcome<T, R>> out = new ArrayList<>(items.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return call.apply(item);
                    } finally {
                        permits.release();
                    }
                }));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < items.size(); i++) {
                Future<R> f = futures.get(i);
                try {
                    long left = Math.max(0, deadline - System.nanoTime());
                    out.add(new Outcome<>(items.get(i), f.get(left, TimeUnit.NANOSECONDS), null));
                } catch (ExecutionException e) {
                    out.add(new Outcome<>(items.get(i), null, e.getCause()));
                } catch (TimeoutException e) {
                    f.cancel(true);
                    out.add(new Outcome<>(items.get(i), null,
                            new TimeoutException("no answer within " + timeout.toMillis() + " ms")));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(x -> x.cancel(true));
                    out.add(new Outcome<>(items.get(i), null, e));
                }
            }
            pool.shutdownNow();
        }
        return out;
    }
}
