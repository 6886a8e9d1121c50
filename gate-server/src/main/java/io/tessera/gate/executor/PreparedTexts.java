package io.tessera.gate.executor;

import io.tessera.gate.sql.Placeholders;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection's prepared statements as the executor runs them: how many {@code ?} parameters each has and its
 * text with them turned into bind variables ({@link Placeholders}). Worked out once per statement rather than on
 * every execute, which lexed the statement twice. What it keeps depends on the text alone, so it outlives the
 * protocol layer's statement ids (and COM_RESET_CONNECTION). Not thread-safe: a connection's calls come one at a
 * time.
 */
final class PreparedTexts {
    /** More than a connection keeps prepared at once in practice; past it the memo starts over. */
    static final int MAX_ENTRIES = 256;

    /**
     * @param parameters the number of {@code ?} parameters
     * @param statement the text with {@code :v1}, {@code :v2}... in their place
     * @param answeredHere whether the session answers it itself (see {@link MysqlSession#answeredHere}), which
     *     depends on the text alone and so is not worked out again on every execute
     */
    record Text(int parameters, String statement, boolean answeredHere) {}

    private final Map<String, Text> texts = new HashMap<>();

    /** {@code sql}'s parameter count and bind-variable text. */
    Text of(String sql) {
        Text t = texts.get(sql);
        if (t == null) {
            if (texts.size() >= MAX_ENTRIES) {
                texts.clear();
            }
            String statement = Placeholders.toBindVariables(sql);
            t = new Text(Placeholders.count(sql), statement, MysqlSession.answeredHere(statement));
            texts.put(sql, t);
        }
        return t;
    }

    int size() {
        return texts.size();
    }
}
