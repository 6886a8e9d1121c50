package io.tessera.tablet.queryservice;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.ExecuteOptions.IncludedFields;
import io.tessera.proto.query.Field;
import io.tessera.tablet.mysqlclient.ColumnDefinition;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Field} of each column definition the native client reads, made once. A prepared statement's results
 * come with the very same definitions every time (the connection keeps them while mysqld leaves them out), so the
 * same Field objects go out again: protobuf remembers a message's size, and the strings are kept as UTF-8, so
 * writing the response copies bytes instead of measuring and encoding each name. Bounded: it starts over when
 * full.
 */
final class FieldMemo {
    /** Most definitions remembered at once, for each level of detail. */
    static final int MAX_ENTRIES = 4096;

    private final ConcurrentHashMap<ColumnDefinition, Field> all = new ConcurrentHashMap<>();

    /** The field for {@code column}, as {@link Fields#field(ColumnDefinition, IncludedFields)} makes it. */
    Field field(ColumnDefinition column, IncludedFields included) {
        if (included != IncludedFields.ALL) {
            return Fields.field(column, included); // names only or less: little to save
        }
        Field f = all.get(column);
        if (f == null) {
            f = utf8(Fields.field(column, included));
            if (all.size() >= MAX_ENTRIES) {
                all.clear();
            }
            all.put(column, f);
        }
        return f;
    }

    int size() {
        return all.size();
    }

    /** The same field with its strings held as UTF-8 bytes, which is how protobuf writes them without encoding. */
    private static Field utf8(Field f) {
        return f.toBuilder()
                .setNameBytes(ByteString.copyFromUtf8(f.getName()))
                .setTableBytes(ByteString.copyFromUtf8(f.getTable()))
                .setOrgTableBytes(ByteString.copyFromUtf8(f.getOrgTable()))
                .setDatabaseBytes(ByteString.copyFromUtf8(f.getDatabase()))
                .setOrgNameBytes(ByteString.copyFromUtf8(f.getOrgName()))
                .setColumnTypeBytes(ByteString.copyFromUtf8(f.getColumnType()))
                .build();
    }
}
