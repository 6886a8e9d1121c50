package io.tessera.tablet.queryservice;

import io.tessera.proto.query.BoundQuery;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the {@link StatementClassifier classification} of statements sent with bind variables. Those are a
 * client's prepared statements, whose text (with {@code :name} placeholders) arrives unchanged again and again, so
 * one lookup replaces scanning the text each time; a statement without bind variables carries its values in the
 * text and is classified afresh, so one-off texts never fill the memo. The classification depends on the text alone.
 * Shared by the event loops.
 */
final class ClassificationMemo {
    /** Distinct statements remembered before the memo starts over (a safety net against unbounded texts). */
    static final int MAX_ENTRIES = 4096;

    private final Map<String, StatementInfo> infos = new ConcurrentHashMap<>();

    /** The classification of {@code query}'s text, as {@link StatementClassifier#classify} gives it. */
    StatementInfo classify(BoundQuery query) {
        String sql = query.getSql();
        if (query.getBindVariablesCount() == 0) {
            return StatementClassifier.classify(sql);
        }
        StatementInfo info = infos.get(sql);
        if (info == null) {
            if (infos.size() >= MAX_ENTRIES) {
                infos.clear();
            }
            info = StatementClassifier.classify(sql);
            infos.put(sql, info);
        }
        return info;
    }

    /** How many statements are remembered (for tests). */
    int size() {
        return infos.size();
    }
}
