package io.tessera.examples.guestbook;

import io.tessera.client.GateClient;
import io.tessera.client.GateException;
import io.tessera.client.GateSession;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A guestbook on Tessera: messages posted to named pages, written in a transaction on the keyspace's primary and
 * read back from its replicas, through the gate's gRPC service.
 *
 * <p>Messages live in one table, {@code messages(page, time_created_ns, message)}, keyed by page and creation
 * time in nanoseconds, so a page reads back in the order it was written. Reads from replicas may lag a moment
 * behind the primary; {@link #readFromPrimary} sees every committed message.
 *
 * <p>Run it from the command line with {@code --server host:port --keyspace ks [--page name] [--message text]...
 * [--read-from replica|primary]}: it creates the table if needed, posts the messages, and prints the page.
 */
public final class Guestbook {
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS messages ("
            + "page VARCHAR(64), time_created_ns BIGINT, message VARCHAR(1024), "
            + "PRIMARY KEY (page, time_created_ns))";
    static final String INSERT = "INSERT INTO messages (page, time_created_ns, message) "
            + "VALUES (:page, :time_created_ns, :message)";
    static final String SELECT = "SELECT message FROM messages WHERE page = :page ORDER BY time_created_ns";

    private static final int MAX_PAGE_CHARS = 64;
    private static final int MAX_MESSAGE_CHARS = 1024;

    private final GateClient client;
    private final String keyspace;
    /** The last creation time handed out, so that two posts from this guestbook never share a key. */
    private final AtomicLong lastCreatedNs = new AtomicLong();

    /**
     * A guestbook in {@code keyspace}, reached through {@code client}, which the caller keeps and closes.
     *
     * @param keyspace an unsharded keyspace (the table has no vindex), e.g. "commerce"
     */
    public Guestbook(GateClient client, String keyspace) {
        this.client = Objects.requireNonNull(client, "client");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        if (keyspace.isEmpty() || keyspace.contains("@") || keyspace.contains(":")) {
            throw new IllegalArgumentException("a keyspace name without tablet type or shard is needed, got '"
                    + keyspace + "'");
        }
    }

    /** Creates the messages table on the primary unless it exists. */
    public void createSchema() {
        try (GateSession session = client.session(keyspace + "@primary")) {
            session.execute(CREATE_TABLE);
        }
    }

    /**
     * Posts {@code message} to {@code page}: one insert in a transaction on the primary, rolled back if it fails.
     *
     * @throws GateException if the gate or MySQL refused the post (the table is missing, the primary is down...)
     */
    public void post(String page, String message) {
        requireLength("page", page, MAX_PAGE_CHARS);
        requireLength("message", message, MAX_MESSAGE_CHARS);
        try (GateSession session = client.session(keyspace + "@primary")) {
            session.begin();
            try {
                session.execute(INSERT, Map.of("page", page, "time_created_ns", nextCreatedNs(),
                        "message", message));
                session.commit();
            } catch (RuntimeException e) {
                rollBack(session, e);
                throw e;
            }
        }
    }

    /** The messages of {@code page} in the order they were posted, as a replica has them. */
    public List<String> read(String page) {
        return readAt("replica", page);
    }

    /** The messages of {@code page} in the order they were posted, as the primary has them. */
    public List<String> readFromPrimary(String page) {
        return readAt("primary", page);
    }

    private List<String> readAt(String tabletType, String page) {
        requireLength("page", page, MAX_PAGE_CHARS);
        try (GateSession session = client.session(keyspace + "@" + tabletType)) {
            return session.execute(SELECT, Map.of("page", page)).rows().stream().map(row -> row.get(0)).toList();
        }
    }

    /**
     * The creation time for a new message: now in nanoseconds since the epoch, moved past the last one this
     * guestbook handed out when the clock has not advanced since (its resolution may be coarser than a post).
     */
    private long nextCreatedNs() {
        Instant now = Instant.now();
        long ns = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        return lastCreatedNs.accumulateAndGet(ns, (last, clock) -> Math.max(last + 1, clock));
    }

    private static void rollBack(GateSession session, RuntimeException cause) {
        if (!session.inTransaction()) {
            return;
        }
        try {
            session.rollback();
        } catch (RuntimeException e) {
            // Closing the session releases the transaction anyway; the post's own failure is what matters.
            cause.addSuppressed(e);
        }
    }

    private static void requireLength(String what, String value, int maxChars) {
        Objects.requireNonNull(value, what);
        if (value.codePointCount(0, value.length()) > maxChars) {
            throw new IllegalArgumentException("the " + what + " is longer than " + maxChars + " characters");
        }
    }

    /** Runs the command line; exits 0 on success, 1 when the gate refused a statement, 2 on a usage error. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command line's work, with its output streams given, returning the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(GuestbookOptions.USAGE);
            return 0;
        }
        GuestbookOptions options;
        try {
            options = GuestbookOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("guestbook: " + e.getMessage());
            err.print(GuestbookOptions.USAGE);
            return 2;
        }
        try (GateClient client = GateClient.connect(options.host(), options.port())) {
            Guestbook guestbook = new Guestbook(client, options.keyspace());
            guestbook.createSchema();
            for (String message : options.messages()) {
                guestbook.post(options.page(), message);
            }
            List<String> messages = options.readFromPrimary() ? guestbook.readFromPrimary(options.page())
                    : guestbook.read(options.page());
            messages.forEach(out::println);
            return 0;
        } catch (GateException e) {
            err.println("guestbook: " + e.getMessage() + " (code " + e.code() + ", MySQL error " + e.mysqlErrno()
                    + ", SQLSTATE " + e.sqlState() + ")");
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("guestbook: " + e.getMessage());
            return 2;
        }
    }
}
