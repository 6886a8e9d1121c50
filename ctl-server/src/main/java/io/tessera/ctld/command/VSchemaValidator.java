package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.vschema.AutoIncrement;
import io.tessera.proto.vschema.ColumnVindex;
import io.tessera.proto.vschema.Keyspace;
import io.tessera.proto.vschema.Table;
import io.tessera.proto.vschema.Vindex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Checks a keyspace's VSchema before it is stored, with the rules vtgate applies when it loads one: vindex types
 * exist, column vindexes name defined vindexes, a sharded keyspace's tables have a unique primary vindex, an
 * unsharded keyspace's tables have no vindexes, and auto-increment sequences name sequence tables.
 */
public final class VSchemaValidator {
    /** Known vindex types and whether each is unique (maps a value to at most one keyspace id). */
    static final Map<String, Boolean> UNIQUE_BY_TYPE = Map.ofEntries(
            Map.entry("hash", true), Map.entry("xxhash", true), Map.entry("unicode_loose_md5", true),
            Map.entry("unicode_loose_xxhash", true), Map.entry("numeric", true), Map.entry("binary", true),
            Map.entry("binary_md5", true), Map.entry("null", true), Map.entry("reverse_bits", true),
            Map.entry("consistent_lookup_unique", true), Map.entry("consistent_lookup", false),
            Map.entry("lookup_unique", true), Map.entry("lookup", false), Map.entry("lookup_hash_unique", true),
            Map.entry("lookup_hash", false), Map.entry("region_json", true), Map.entry("region_experimental", true),
            Map.entry("keyspace_id", true), Map.entry("cfc", true), Map.entry("multicol", true));

    private static final Set<String> LOOKUP_PARAMS = Set.of("table", "from", "to", "autocommit", "write_only",
            "ignore_nulls", "batch_lookup", "read_lock", "multi_shard_autocommit", "no_verify");

    /** Parameters each vindex type understands; anything else is reported (and refused in strict mode). */
    static final Map<String, Set<String>> PARAMS_BY_TYPE = Map.ofEntries(
            Map.entry("consistent_lookup_unique", LOOKUP_PARAMS), Map.entry("consistent_lookup", LOOKUP_PARAMS),
            Map.entry("lookup_unique", LOOKUP_PARAMS), Map.entry("lookup", LOOKUP_PARAMS),
            Map.entry("lookup_hash_unique", LOOKUP_PARAMS), Map.entry("lookup_hash", LOOKUP_PARAMS),
            Map.entry("region_json", Set.of("region_map", "region_bytes")),
            Map.entry("region_experimental", Set.of("region_bytes")),
            Map.entry("cfc", Set.of("hash", "offsets")),
            Map.entry("multicol", Set.of("column_count", "column_bytes", "column_vindex")));

    private VSchemaValidator() {}

    /**
     * Validates {@code vschema} for keyspace {@code keyspace}.
     *
     * @param otherKeyspaces the stored VSchema of another keyspace by name (empty if it has none), to resolve
     *     qualified sequence names and unqualified ones not found in this keyspace
     * @param otherKeyspaceNames every other keyspace, for unqualified sequence names
     * @return vindex name -> parameters its type does not know
     * @throws CtldException {@code INVALID_ARGUMENT} naming the first problem found
     */
    public static Map<String, List<String>> validate(String keyspace, Keyspace vschema,
            Function<String, Optional<Keyspace>> otherKeyspaces, List<String> otherKeyspaceNames) {
        Map<String, List<String>> unknownParams = new TreeMap<>();
        for (Map.Entry<String, Vindex> e : new TreeMap<>(vschema.getVindexesMap()).entrySet()) {
            String type = e.getValue().getType();
            if (type.isEmpty()) {
                throw invalid(keyspace, "vindex '" + e.getKey() + "' has no type");
            }
            if (!UNIQUE_BY_TYPE.containsKey(type)) {
                throw invalid(keyspace, "vindex '" + e.getKey() + "' has unknown type '" + type + "'; known types: "
                        + new java.util.TreeSet<>(UNIQUE_BY_TYPE.keySet()));
            }
            Set<String> known = PARAMS_BY_TYPE.getOrDefault(type, Set.of());
            List<String> unknown = new ArrayList<>();
            for (String p : new java.util.TreeSet<>(e.getValue().getParamsMap().keySet())) {
                if (!known.contains(p)) {
                    unknown.add(p);
                }
            }
            if (!unknown.isEmpty()) {
                unknownParams.put(e.getKey(), unknown);
            }
            if (!e.getValue().getOwner().isEmpty() && !vschema.getTablesMap().containsKey(e.getValue().getOwner())) {
                throw invalid(keyspace, "vindex '" + e.getKey() + "' is owned by table '" + e.getValue().getOwner()
                        + "', which is not in the VSchema");
            }
        }
        for (Map.Entry<String, Table> e : new TreeMap<>(vschema.getTablesMap()).entrySet()) {
            String name = e.getKey();
            Table table = e.getValue();
            String type = table.getType();
            if (!type.isEmpty() && !type.equals("sequence") && !type.equals("reference")) {
                throw invalid(keyspace, "table '" + name + "' has unknown type '" + type
                        + "'; use sequence, reference or leave it empty");
            }
            for (ColumnVindex cv : table.getColumnVindexesList()) {
                if (cv.getName().isEmpty()) {
                    throw invalid(keyspace, "table '" + name + "' has a column vindex without a vindex name");
                }
                if (!vschema.getVindexesMap().containsKey(cv.getName())) {
                    throw invalid(keyspace, "table '" + name + "' uses vindex '" + cv.getName()
                            + "', which is not defined in the keyspace's vindexes");
                }
                if (cv.getColumn().isEmpty() && cv.getColumnsCount() == 0) {
                    throw invalid(keyspace, "table '" + name + "': column vindex '" + cv.getName()
                            + "' names no column");
                }
            }
            if (vschema.getSharded()) {
                if (type.isEmpty() && table.getPinned().isEmpty()) {
                    if (table.getColumnVindexesCount() == 0) {
                        throw invalid(keyspace, "table '" + name + "' in sharded keyspace '" + keyspace
                                + "' has no column vindex; give it a primary vindex (for example hash on its key)");
                    }
                    String primary = table.getColumnVindexes(0).getName();
                    String vtype = vschema.getVindexesMap().get(primary).getType();
                    if (!UNIQUE_BY_TYPE.get(vtype)) {
                        throw invalid(keyspace, "table '" + name + "': the primary (first) vindex '" + primary
                                + "' has type '" + vtype + "', which is not unique; put a unique vindex first");
                    }
                }
            } else if (table.getColumnVindexesCount() > 0) {
                throw invalid(keyspace, "table '" + name + "' has column vindexes, but keyspace '" + keyspace
                        + "' is not sharded");
            }
            if (table.hasAutoIncrement()) {
                checkSequence(keyspace, vschema, name, table.getAutoIncrement(), otherKeyspaces, otherKeyspaceNames);
            }
        }
        return unknownParams;
    }

    private static void checkSequence(String keyspace, Keyspace vschema, String table, AutoIncrement ai,
            Function<String, Optional<Keyspace>> others, List<String> otherNames) {
        if (ai.getColumn().isEmpty() || ai.getSequence().isEmpty()) {
            throw invalid(keyspace, "table '" + table + "': auto_increment needs both column and sequence");
        }
        String seq = ai.getSequence().replace("`", "");
        int dot = seq.indexOf('.');
        boolean found;
        if (dot > 0) {
            String ks = seq.substring(0, dot);
            String t = seq.substring(dot + 1);
            Optional<Keyspace> target = ks.equals(keyspace) ? Optional.of(vschema) : others.apply(ks);
            found = target.isPresent() && isSequence(target.get(), t);
        } else {
            found = isSequence(vschema, seq);
            for (String other : otherNames) {
                if (!found && !other.equals(keyspace)) {
                    found = others.apply(other).map(k -> isSequence(k, seq)).orElse(false);
                }
            }
        }
        if (!found) {
            throw invalid(keyspace, "table '" + table + "': auto_increment sequence '" + ai.getSequence()
                    + "' is not a table of type sequence in any keyspace's VSchema; add it (usually to an unsharded "
                    + "keyspace) first");
        }
    }

    private static boolean isSequence(Keyspace ks, String table) {
        Table t = ks.getTablesMap().get(table);
        return t != null && t.getType().equals("sequence");
    }

    private static CtldException invalid(String keyspace, String message) {
        return CtldException.invalidArgument("invalid VSchema for keyspace '" + keyspace + "': " + message);
    }
}
