package io.tessera.tablet.health;

import io.tessera.proto.query.RealtimeStats;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.topodata.TabletAlias;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Turns health reports into StreamHealth messages. */
final class HealthResponses {
    /** {@code replication_lag_seconds} is a uint32. */
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    private HealthResponses() {}

    static StreamHealthResponse of(TabletAlias alias, HealthReport report) {
        RealtimeStats stats = RealtimeStats.newBuilder()
                .setHealthError(report.healthError().orElse(""))
                .setReplicationLagSeconds(lagSeconds(report.replicationLag()))
                .build();
        return StreamHealthResponse.newBuilder()
                .setTarget(report.target())
                .setServing(report.serving())
                .setPrimaryTermStartTimestamp(report.primaryTermStart().map(Instant::getEpochSecond).orElse(0L))
                .setRealtimeStats(stats)
                .setTabletAlias(alias)
                .build();
    }

    /** {@code base} announcing schema changes: the given names are added to those it already carries. */
    static StreamHealthResponse withSchemaChanges(StreamHealthResponse base, Collection<String> tables,
            Collection<String> views) {
        RealtimeStats stats = base.getRealtimeStats();
        return base.toBuilder().setRealtimeStats(stats.toBuilder()
                        .clearTableSchemaChanged().addAllTableSchemaChanged(union(stats.getTableSchemaChangedList(), tables))
                        .clearViewSchemaChanged().addAllViewSchemaChanged(union(stats.getViewSchemaChangedList(), views)))
                .build();
    }

    /**
     * {@code newer}, carrying also the schema changes {@code older} announced: when a subscriber is too slow to
     * receive {@code older} before {@code newer} replaces it, it must still learn which tables changed.
     */
    static StreamHealthResponse coalesce(StreamHealthResponse older, StreamHealthResponse newer) {
        RealtimeStats stats = older.getRealtimeStats();
        if (stats.getTableSchemaChangedCount() == 0 && stats.getViewSchemaChangedCount() == 0) {
            return newer;
        }
        return withSchemaChanges(newer, stats.getTableSchemaChangedList(), stats.getViewSchemaChangedList());
    }

    /** Whole seconds, rounded down and capped to what the field holds. */
    static int lagSeconds(Duration lag) {
        long seconds = Math.max(0, lag.getSeconds());
        return (int) Math.min(seconds, MAX_UINT32);
    }

    private static List<String> union(Collection<String> a, Collection<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
