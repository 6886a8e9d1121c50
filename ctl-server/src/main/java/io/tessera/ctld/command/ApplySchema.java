package io.tessera.ctld.command;

import com.google.protobuf.ByteString;
import io.tessera.ctld.CtldException;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsDbaRequest;
import io.tessera.proto.tabletmanagerdata.ReloadSchemaRequest;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.vtctldata.ApplySchemaRequest;
import io.tessera.proto.vtctldata.ApplySchemaResponse;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.LockHandle;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * ApplySchema with the {@code direct} strategy: the statements run in order on the primary of every shard of the
 * keyspace, all shards at once, as the DBA user in the primary's database; replication carries them to the other
 * tablets. Each primary then reloads its schema. Only DDL is accepted (CREATE, ALTER, DROP, RENAME, TRUNCATE).
 * Holds the keyspace lock. Refused before anything runs when a shard has no primary.
 */
public final class ApplySchema {
    private static final Set<String> DDL = Set.of("CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE");
    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s+|/\\*.*?\\*/|--[^\\n]*\\n|#[^\\n]*\\n)+",
            Pattern.DOTALL);

    private final TopoServer topo;
    private final TabletManagerDialer dialer;
    private final CommandSettings settings;

    public ApplySchema(TopoServer topo, TabletManagerDialer dialer, CommandSettings settings) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public ApplySchemaResponse run(ApplySchemaRequest request) throws TopoException {
        String ks = request.getKeyspace();
        Topo.requireKeyspace(topo, ks);
        String strategy = request.getDdlStrategy().strip().toLowerCase(Locale.ROOT);
        if (!strategy.isEmpty() && !strategy.equals("direct")) {
            throw CtldException.invalidArgument("ddl_strategy '" + request.getDdlStrategy() + "' is not supported: "
                    + "Tessera applies schema changes directly (ddl_strategy 'direct'); online DDL is not available");
        }
        if (request.getUuidListCount() > 0) {
            throw CtldException.invalidArgument("uuid_list is for online DDL migrations, which Tessera does not run");
        }
        List<String> statements = new ArrayList<>();
        for (String sql : request.getSqlList()) {
            if (!sql.isBlank()) {
                statements.add(checkDdl(sql));
            }
        }
        if (statements.isEmpty()) {
            throw CtldException.invalidArgument("no SQL statements given");
        }
        try (LockHandle lock = topo.lockKeyspace(ks, "ApplySchema")) {
            Map<String, Tablet> primaries = new TreeMap<>();
            List<String> noPrimary = new ArrayList<>();
            for (String shardName : topo.getShardNames(ks)) {
                Shard shard = Topo.shard(topo, ks, shardName);
                if (!shard.hasPrimaryAlias()) {
                    noPrimary.add(shardName);
                    continue;
                }
                var t = Topo.optional(() -> topo.getTablet(shard.getPrimaryAlias()).value());
                if (t.isEmpty()) {
                    noPrimary.add(shardName + " (primary " + TabletAliases.format(shard.getPrimaryAlias())
                            + " has no tablet record)");
                } else {
                    primaries.put(shardName, t.get());
                }
            }
            if (primaries.isEmpty() && noPrimary.isEmpty()) {
                throw CtldException.failedPrecondition("keyspace '" + ks + "' has no shards");
            }
            if (!noPrimary.isEmpty()) {
                throw CtldException.failedPrecondition("cannot apply the schema change to keyspace '" + ks
                        + "': shard(s) without a primary: " + noPrimary + "; nothing was run. Elect primaries first "
                        + "(InitShardPrimary or PlannedReparentShard)");
            }
            lock.check();
            List<Map.Entry<String, Tablet>> shards = new ArrayList<>(primaries.entrySet());
            var outcomes = Fanout.run(shards, shards.size(), settings.tabletFanoutTimeout(),
                    e -> applyOnPrimary(e.getValue(), statements));
            ApplySchemaResponse.Builder response = ApplySchemaResponse.newBuilder();
            List<String> failures = new ArrayList<>();
            Code code = null;
            for (var o : outcomes) {
                if (o.ok()) {
                    response.putRowsAffectedByShard(o.item().getKey(), o.value());
                } else {
                    failures.add(o.item().getKey() + " (" + TabletAliases.format(o.item().getValue().getAlias())
                            + "): " + (o.error().getMessage() == null ? o.error().toString() : o.error().getMessage()));
                    if (code == null) {
                        code = o.error() instanceof TabletManagerException tm ? tm.code() : Code.UNKNOWN;
                    }
                }
            }
            if (!failures.isEmpty()) {
                throw new CtldException(code, "the schema change failed on " + failures.size() + " of "
                        + shards.size() + " shard(s) of keyspace '" + ks + "': " + String.join("; ", failures)
                        + (response.getRowsAffectedByShardCount() == 0 ? ""
                                : "; it was applied on " + response.getRowsAffectedByShardMap().keySet()));
            }
            return response.build();
        }
    }

    private long applyOnPrimary(Tablet primary, List<String> statements) {
        TabletManagerClient tm = dialer.dial(primary);
        long rows = 0;
        for (String sql : statements) {
            rows += tm.executeFetchAsDba(ExecuteFetchAsDbaRequest.newBuilder()
                    .setQuery(ByteString.copyFrom(sql, StandardCharsets.UTF_8)).setDbName(Topo.dbName(primary))
                    .build()).getResult().getRowsAffected();
        }
        tm.reloadSchema(ReloadSchemaRequest.getDefaultInstance());
        return rows;
    }

    /** The statement, if its first keyword is a DDL verb. */
    static String checkDdl(String sql) {
        String body = LEADING_COMMENTS.matcher(sql).replaceFirst("");
        int end = 0;
        while (end < body.length() && Character.isLetter(body.charAt(end))) {
            end++;
        }
        String verb = body.substring(0, end).toUpperCase(Locale.ROOT);
        if (!DDL.contains(verb)) {
            throw CtldException.invalidArgument("ApplySchema runs DDL only (CREATE, ALTER, DROP, RENAME, TRUNCATE); "
                    + "refused: " + abbreviate(sql.strip()) + ". Run other statements with ExecuteFetchAsDBA");
        }
        return sql;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
