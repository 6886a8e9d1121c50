package io.tessera.gate.executor;

import com.google.protobuf.ByteString;
import io.tessera.gate.sql.SchemaNames;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import io.tessera.queryservice.CompactRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Gives results back the names clients know: a tablet's database {@code vt_ks} becomes the keyspace {@code ks} in
 * column definitions ({@code Field.database}), in the values of columns that hold database names
 * ({@code TABLE_SCHEMA}, {@code SCHEMA_NAME}... of information_schema, {@code Database} of SHOW output), in the
 * column name of SHOW TABLES ({@code Tables_in_vt_ks}), and in the CREATE statements of SHOW CREATE TABLE / VIEW
 * and view definitions (a foreign key or view naming {@code `vt_ks`.}). Only keyspaces the gate knows are
 * renamed. Results that need nothing renamed are returned as they are, without copying.
 */
final class ResultRewriter {
    private static final Set<String> VALUE_COLUMNS;
    private static final Set<String> TEXT_COLUMNS = Set.of("CREATE TABLE", "CREATE VIEW", "CREATE DATABASE",
            "VIEW_DEFINITION", "CREATE PROCEDURE", "CREATE FUNCTION", "CREATE TRIGGER", "SQL ORIGINAL STATEMENT",
            "CREATE EVENT", "ROUTINE_DEFINITION", "ACTION_STATEMENT", "CREATE SEQUENCE");
    private static final String TABLES_IN = "Tables_in_";

    static {
        Set<String> values = new HashSet<>(SchemaNames.SCHEMA_COLUMNS);
        values.add("DATABASE");
        values.add("DB");
        VALUE_COLUMNS = Set.copyOf(values);
    }

    /**
     * How to rewrite the rows of one result.
     *
     * @param fields the column definitions as the client must see them
     * @param fieldsChanged whether any of them differs from the tablet's
     * @param valueColumns columns whose whole value may be a tablet database name
     * @param textColumns columns whose text may mention tablet database names
     */
    record Columns(List<Field> fields, boolean fieldsChanged, int[] valueColumns, int[] textColumns) {
        boolean rewritesRows() {
            return valueColumns.length > 0 || textColumns.length > 0;
        }
    }

    private ResultRewriter() {}

    /** {@code result} as the client must see it, with the plan for its columns from {@code memo}. */
    static QueryResult toClient(QueryResult result, Set<String> keyspaces, ColumnsMemo memo) {
        if (result.getFieldsCount() == 0 || keyspaces.isEmpty()) {
            return result;
        }
        Columns columns = memo.columns(result.getFieldsList(), keyspaces);
        if (!columns.fieldsChanged() && !columns.rewritesRows()) {
            return result;
        }
        QueryResult.Builder out = result.toBuilder();
        if (columns.fieldsChanged()) {
            out.clearFields().addAllFields(columns.fields());
        }
        if (columns.rewritesRows()) {
            for (int i = 0; i < out.getRowsCount(); i++) {
                Row r = out.getRows(i);
                Row rewritten = row(r, columns, keyspaces);
                if (rewritten != r) {
                    out.setRows(i, rewritten);
                }
            }
        }
        return out.build();
    }

    /** The rewriting plan for a result with these column definitions. */
    static Columns columns(List<Field> fields, Set<String> keyspaces) {
        List<Field> out = new ArrayList<>(fields.size());
        int[] values = new int[fields.size()];
        int[] texts = new int[fields.size()];
        int nv = 0;
        int nt = 0;
        boolean changed = false;
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            String name = f.getName().toUpperCase(Locale.ROOT);
            String orgName = f.getOrgName().toUpperCase(Locale.ROOT);
            if (VALUE_COLUMNS.contains(name) || VALUE_COLUMNS.contains(orgName)) {
                values[nv++] = i;
            } else if (TEXT_COLUMNS.contains(name)) {
                texts[nt++] = i;
            }
            Field renamed = field(f, keyspaces);
            changed |= renamed != f;
            out.add(renamed);
        }
        return new Columns(out, changed, Arrays.copyOf(values, nv), Arrays.copyOf(texts, nt));
    }

    /** {@code row} with its database names rewritten; the same object when nothing changed. */
    static Row row(Row row, Columns columns, Set<String> keyspaces) {
        if (!columns.rewritesRows()) {
            return row;
        }
        List<ByteString> values = null;
        List<ByteString> original = CompactRows.values(row);
        for (int i : columns.valueColumns()) {
            if (i >= original.size() || original.get(i) == null) {
                continue;
            }
            String keyspace = keyspaceOf(original.get(i).toStringUtf8(), keyspaces);
            if (keyspace != null) {
                values = values == null ? new ArrayList<>(original) : values;
                values.set(i, ByteString.copyFromUtf8(keyspace));
            }
        }
        for (int i : columns.textColumns()) {
            if (i >= original.size() || original.get(i) == null) {
                continue;
            }
            String text = original.get(i).toStringUtf8();
            String rewritten = renameInText(text, keyspaces);
            if (!rewritten.equals(text)) {
                values = values == null ? new ArrayList<>(original) : values;
                values.set(i, ByteString.copyFromUtf8(rewritten));
            }
        }
        if (values == null) {
            return row;
        }
        List<byte[]> bytes = new ArrayList<>(values.size());
        for (ByteString v : values) {
            bytes.add(v == null ? null : v.toByteArray());
        }
        return CompactRows.of(bytes);
    }

    private static Field field(Field f, Set<String> keyspaces) {
        Field.Builder b = null;
        String db = keyspaceOf(f.getDatabase(), keyspaces);
        if (db != null) {
            b = f.toBuilder().setDatabase(db);
        }
        String name = tablesIn(f.getName(), keyspaces);
        if (name != null) {
            b = (b == null ? f.toBuilder() : b).setName(name);
        }
        String orgName = tablesIn(f.getOrgName(), keyspaces);
        if (orgName != null) {
            b = (b == null ? f.toBuilder() : b).setOrgName(orgName);
        }
        return b == null ? f : b.build();
    }

    /** {@code Tables_in_vt_ks} or {@code Tables_in_vt_ks (pattern)} renamed, or null. */
    private static String tablesIn(String name, Set<String> keyspaces) {
        if (!name.startsWith(TABLES_IN + SchemaNames.TABLET_DATABASE_PREFIX)) {
            return null;
        }
        String rest = name.substring(TABLES_IN.length());
        int space = rest.indexOf(' ');
        String db = space < 0 ? rest : rest.substring(0, space);
        String keyspace = keyspaceOf(db, keyspaces);
        return keyspace == null ? null : TABLES_IN + keyspace + (space < 0 ? "" : rest.substring(space));
    }

    /** The keyspace whose tablet database is {@code database}, or null. */
    static String keyspaceOf(String database, Set<String> keyspaces) {
        if (!database.startsWith(SchemaNames.TABLET_DATABASE_PREFIX)) {
            return null;
        }
        String keyspace = database.substring(SchemaNames.TABLET_DATABASE_PREFIX.length());
        return keyspaces.contains(keyspace) ? keyspace : null;
    }

    /** Every backquoted {@code `vt_ks`} in {@code text} renamed {@code `ks`}. */
    static String renameInText(String text, Set<String> keyspaces) {
        if (!text.contains("`" + SchemaNames.TABLET_DATABASE_PREFIX)) {
            return text;
        }
        String out = text;
        for (String keyspace : keyspaces) {
            out = out.replace(SchemaNames.quoteIdentifier(SchemaNames.tabletDatabase(keyspace)),
                    SchemaNames.quoteIdentifier(keyspace));
        }
        return out;
    }

    /**
     * A MySQL error message with the tablet database names the client must not see ({@code 'vt_ks.t'},
     * {@code `vt_ks`}) renamed to their keyspaces. Only whole names followed by a quote, a dot or a backquote are
     * renamed, so a table that merely starts with {@code vt_} keeps its name.
     */
    static String renameInMessage(String message, Set<String> keyspaces) {
        if (message == null || !message.contains(SchemaNames.TABLET_DATABASE_PREFIX)) {
            return message;
        }
        String out = message;
        for (String keyspace : keyspaces) {
            String tablet = SchemaNames.tabletDatabase(keyspace);
            out = out.replaceAll("(?<![A-Za-z0-9_$])" + java.util.regex.Pattern.quote(tablet) + "(?=[.'`\\s]|$)",
                    java.util.regex.Matcher.quoteReplacement(keyspace));
        }
        return out;
    }
}
