package io.tessera.gate.daemon;

import io.tessera.gate.executor.QueryLog;
import io.tessera.gate.executor.QueryLogEntry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query log file ({@code --log_queries_to_file}): one line per statement, appended by a background thread so
 * that a statement never waits for the disk. When the disk cannot keep up and the queue is full, entries are dropped
 * and counted rather than slowing the clients down.
 */
final class FileQueryLog implements QueryLog, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileQueryLog.class);
    private static final int QUEUE = 10_000;

    private final BlockingQueue<QueryLogEntry> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final BufferedWriter out;
    private final Thread writer;
    private volatile boolean closing;

    FileQueryLog(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        writer = Thread.ofPlatform().name("query-log-writer").daemon(true).start(this::drain);
    }

    @Override
    public void log(QueryLogEntry entry) {
        if (!queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    /** Entries lost because the writer could not keep up. */
    long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<QueryLogEntry> batch = new ArrayList<>(256);
        try {
            while (!closing || !queue.isEmpty()) {
                QueryLogEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 1023);
                for (QueryLogEntry e : batch) {
                    out.write(e.format());
                    out.newLine();
                }
                batch.clear();
                // Flush whenever the queue runs dry, so the file is current without a flush per line under load.
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.error("the query log stopped: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            out.close();
        } catch (IOException e) {
            log.warn("closing the query log: {}", e.toString());
        }
    }
}
