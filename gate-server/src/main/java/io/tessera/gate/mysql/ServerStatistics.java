package io.tessera.gate.mysql;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** The server-wide numbers COM_STATISTICS reports. */
final class ServerStatistics {
    private final long startNanos = System.nanoTime();
    private final AtomicLong questions = new AtomicLong();
    private final IntSupplier connections;

    ServerStatistics(IntSupplier connections) {
        this.connections = connections;
    }

    void question() {
        questions.incrementAndGet();
    }

    /** The text MySQL answers COM_STATISTICS with. */
    String text() {
        long uptime = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000_000L);
        long q = questions.get();
        return String.format(java.util.Locale.ROOT, "Uptime: %d  Threads: %d  Questions: %d  Slow queries: 0  "
                + "Opens: 0  Flush tables: 0  Open tables: 0  Queries per second avg: %.3f", uptime,
                connections.getAsInt(), q, (double) q / uptime);
    }
}
