package io.tessera.examples.guestbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The guestbook command line: {@code --server host:port --keyspace ks [--page name] [--message text]...
 * [--read-from replica|primary]}; each flag also as {@code --flag=value}.
 *
 * @param host the gate's host
 * @param port the gate's gRPC port
 * @param keyspace the keyspace that holds the messages table
 * @param page the guestbook page to post to and read
 * @param messages messages to post, in order, before reading
 * @param readFromPrimary read the page from the primary rather than from a replica
 */
record GuestbookOptions(String host, int port, String keyspace, String page, List<String> messages,
        boolean readFromPrimary) {
    static final String USAGE = """
            Usage: guestbook --server host:port --keyspace ks [--page name] [--message text]... \
            [--read-from replica|primary]
              --server     the gate's gRPC address (default localhost:15991)
              --keyspace   the keyspace that holds the messages table (required)
              --page       the guestbook page (default "main")
              --message    a message to post before reading; repeat to post several
              --read-from  where to read the page: replica (default) or primary
            """;

    GuestbookOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(page, "page");
        messages = List.copyOf(messages);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be between 1 and 65535, got " + port);
        }
        if (keyspace.isEmpty()) {
            throw new IllegalArgumentException("--keyspace is required");
        }
        if (page.isEmpty()) {
            throw new IllegalArgumentException("--page may not be empty");
        }
    }

    /**
     * The options {@code args} give.
     *
     * @throws IllegalArgumentException naming the first problem found
     */
    static GuestbookOptions parse(String[] args) {
        String server = "localhost:15991";
        String keyspace = "";
        String page = "main";
        String readFrom = "replica";
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            switch (name) {
                case "server" -> server = value;
                case "keyspace" -> keyspace = value;
                case "page" -> page = value;
                case "message" -> messages.add(value);
                case "read-from", "read_from" -> readFrom = value;
                default -> throw new IllegalArgumentException("unknown flag --" + name);
            }
        }
        if (!readFrom.equals("replica") && !readFrom.equals("primary")) {
            throw new IllegalArgumentException("--read-from takes replica or primary, got '" + readFrom + "'");
        }
        int colon = server.lastIndexOf(':');
        if (colon <= 0 || colon == server.length() - 1) {
            throw new IllegalArgumentException("--server takes host:port, got '" + server + "'");
        }
        int port;
        try {
            port = Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--server takes host:port, got '" + server + "'");
        }
        return new GuestbookOptions(server.substring(0, colon), port, keyspace, page, messages,
                readFrom.equals("primary"));
    }
}
