package io.tessera.tablet.queryservice;

import io.tessera.proto.topodata.TabletType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the query service needs to know about its tablet to accept or refuse a request, at one moment. The tablet
 * manager owns this state and publishes a new value on every change (see {@link TabletServingState}).
 *
 * @param keyspace the tablet's keyspace
 * @param shard the tablet's shard ({@code 0} and {@code -} both name the whole range)
 * @param type the tablet's current type
 * @param serving whether the tablet serves queries for its type at all (false while starting, during a reparent,
 *     for a spare or drained tablet...)
 * @param notServingReason why it does not serve, for the error message; ignored while serving
 * @param queryServiceDisabled whether a tablet control ({@code disable_query_service}) disables the query service
 *     for this tablet's type
 * @param mysqldReachable whether the tablet's health check currently reaches mysqld
 * @param deniedTables per tablet type, tables a tablet control denies ({@code denied_tables})
 */
public record ServingState(
        String keyspace,
        String shard,
        TabletType type,
        boolean serving,
        String notServingReason,
        boolean queryServiceDisabled,
        boolean mysqldReachable,
        Map<TabletType, Set<String>> deniedTables) {

    public ServingState {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(notServingReason, "notServingReason");
        Objects.requireNonNull(deniedTables, "deniedTables");
        if (keyspace.isEmpty()) {
            throw new IllegalArgumentException("keyspace must not be empty");
        }
        EnumMap<TabletType, Set<String>> copy = new EnumMap<>(TabletType.class);
        deniedTables.forEach((t, tables) -> {
            if (!tables.isEmpty()) {
                copy.put(t, Set.copyOf(tables));
            }
        });
        deniedTables = Map.copyOf(copy);
    }

    /** A serving tablet of {@code type} with mysqld up, no tablet controls. */
    public static ServingState serving(String keyspace, String shard, TabletType type) {
        return new ServingState(keyspace, shard, type, true, "", false, true, Map.of());
    }

    /** A tablet that does not serve yet, for {@code reason}. */
    public static ServingState notServing(String keyspace, String shard, TabletType type, String reason) {
        return new ServingState(keyspace, shard, type, false, reason, false, true, Map.of());
    }

    public ServingState withType(TabletType value) {
        return new ServingState(keyspace, shard, value, serving, notServingReason, queryServiceDisabled,
                mysqldReachable, deniedTables);
    }

    /** Serving again. */
    public ServingState withServing() {
        return new ServingState(keyspace, shard, type, true, "", queryServiceDisabled, mysqldReachable, deniedTables);
    }

    /** Not serving, for {@code reason}. */
    public ServingState withNotServing(String reason) {
        return new ServingState(keyspace, shard, type, false, reason, queryServiceDisabled, mysqldReachable,
                deniedTables);
    }

    public ServingState withQueryServiceDisabled(boolean value) {
        return new ServingState(keyspace, shard, type, serving, notServingReason, value, mysqldReachable,
                deniedTables);
    }

    public ServingState withMysqldReachable(boolean value) {
        return new ServingState(keyspace, shard, type, serving, notServingReason, queryServiceDisabled, value,
                deniedTables);
    }

    /** The same state with {@code tables} denied on tablets of {@code forType} (replacing what was denied). */
    public ServingState withDeniedTables(TabletType forType, Set<String> tables) {
        EnumMap<TabletType, Set<String>> copy = new EnumMap<>(TabletType.class);
        copy.putAll(deniedTables);
        copy.put(forType, tables);
        return new ServingState(keyspace, shard, type, serving, notServingReason, queryServiceDisabled,
                mysqldReachable, copy);
    }

    /** The tables denied for the tablet's current type. */
    public Set<String> deniedTablesForType() {
        return deniedTables.getOrDefault(type, Set.of());
    }
}
