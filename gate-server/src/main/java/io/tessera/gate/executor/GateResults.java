package io.tessera.gate.executor;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.QueryWarning;
import io.tessera.proto.query.Row;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.Value;
import io.tessera.queryservice.CompactRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Results the gate builds itself, with column definitions like MySQL's for the same statements. */
final class GateResults {
    /** utf8mb4_general_ci, MariaDB's default collation for utf8mb4. */
    static final int UTF8MB4_GENERAL_CI = 45;
    static final int BINARY_COLLATION = 63;
    /** The schemas MySQL itself shows besides the keyspaces. */
    static final List<String> SYSTEM_SCHEMAS = List.of("information_schema", "mysql", "performance_schema", "sys");

    private GateResults() {}

    /** A text column. */
    static Field text(String name) {
        return Field.newBuilder().setName(name).setOrgName(name).setType(Type.VARCHAR)
                .setCharset(UTF8MB4_GENERAL_CI).setColumnLength(1024).build();
    }

    /** A column of {@code type} for a value the gate computed. */
    static Field column(String name, Type type) {
        if (type == Type.VARCHAR || type == Type.TEXT || type == Type.NULL_TYPE || type == Type.CHAR) {
            Field f = text(name);
            return type == Type.NULL_TYPE ? f.toBuilder().setType(Type.NULL_TYPE).build() : f;
        }
        int flags = MySqlFlag.BINARY_FLAG_VALUE;
        int length = 64;
        switch (type) {
            case INT64, INT32, INT16, INT8, INT24 -> {
                flags |= MySqlFlag.NUM_FLAG_VALUE;
                length = 21;
            }
            case UINT64, UINT32, UINT16, UINT8, UINT24 -> {
                flags |= MySqlFlag.NUM_FLAG_VALUE | MySqlFlag.UNSIGNED_FLAG_VALUE;
                length = 20;
            }
            case FLOAT32, FLOAT64, DECIMAL -> flags |= MySqlFlag.NUM_FLAG_VALUE;
            default -> { }
        }
        return Field.newBuilder().setName(name).setOrgName(name).setType(type).setCharset(BINARY_COLLATION)
                .setColumnLength(length).setFlags(flags).build();
    }

    /** One row of values (NULL_TYPE values are NULL). */
    static Row row(List<Value> values) {
        List<byte[]> bytes = new ArrayList<>(values.size());
        for (Value v : values) {
            bytes.add(v.getType() == Type.NULL_TYPE ? null : v.getValue().toByteArray());
        }
        return CompactRows.of(bytes);
    }

    /** SHOW DATABASES: the keyspaces and the system schemas, sorted; filtered by a LIKE pattern if given. */
    static QueryResult showDatabases(Set<String> keyspaces, String likePattern) {
        Set<String> names = new TreeSet<>(keyspaces);
        names.addAll(SYSTEM_SCHEMAS);
        Pattern like = likePattern == null ? null : likePattern(likePattern);
        QueryResult.Builder out = QueryResult.newBuilder()
                .addFields(text(likePattern == null ? "Database" : "Database (" + likePattern + ")"));
        for (String name : names) {
            if (like == null || like.matcher(name).matches()) {
                out.addRows(CompactRows.ofStrings(name));
            }
        }
        return out.build();
    }

    /** SHOW WARNINGS / ERRORS [COUNT(*)]: from the session's last statement. */
    static QueryResult showWarnings(List<QueryWarning> warnings, boolean errorsOnly, boolean countOnly) {
        List<QueryWarning> shown = new ArrayList<>();
        for (QueryWarning w : warnings) {
            if (!errorsOnly || "Error".equalsIgnoreCase(w.getLevel())) {
                shown.add(w);
            }
        }
        if (countOnly) {
            String name = errorsOnly ? "@@session.error_count" : "@@session.warning_count";
            return QueryResult.newBuilder().addFields(column(name, Type.UINT64))
                    .addRows(CompactRows.ofStrings(Integer.toString(shown.size()))).build();
        }
        QueryResult.Builder out = QueryResult.newBuilder().addFields(text("Level"))
                .addFields(column("Code", Type.UINT32)).addFields(text("Message"));
        for (QueryWarning w : shown) {
            out.addRows(CompactRows.ofStrings(w.getLevel().isEmpty() ? "Warning" : w.getLevel(),
                    Integer.toString(w.getCode()), w.getMessage()));
        }
        return out.build();
    }

    /** A LIKE pattern as a regular expression: {@code %} any run, {@code _} one character, {@code \} escapes. */
    static Pattern likePattern(String like) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length()) {
                re.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
