package io.tessera.gate.executor;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.discovery.TabletGateway;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtgate.SessionOrBuilder;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a session's target and the keyspaces a statement names into the destination of the statement, checking
 * them against the keyspaces and shards the gateway knows. Unsharded only: a keyspace with more than one shard
 * needs the shard in the target until VSchema routing exists.
 */
final class TargetResolver {
    private final TabletGateway gateway;
    private final ExecutorConfig config;
    private final TargetString defaultTarget;

    TargetResolver(TabletGateway gateway, ExecutorConfig config) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.config = Objects.requireNonNull(config, "config");
        this.defaultTarget = TargetString.parse(config.defaultKeyspace());
    }

    /**
     * The session's target as the gate uses it: what the session names, else the configured default.
     *
     * @throws TesseraException UNKNOWN_DATABASE if the session's target string is malformed
     */
    TargetString sessionTarget(SessionOrBuilder session) {
        TargetString t = TargetString.parse(session.getTargetString());
        return t.keyspace().isEmpty() && t.shard().isEmpty() && !defaultTarget.isEmpty()
                ? new TargetString(defaultTarget.keyspace(), defaultTarget.shard(),
                        t.tabletType() != TabletType.UNKNOWN ? t.tabletType() : defaultTarget.tabletType())
                : t;
    }

    /**
     * Checks a target a client chose ({@code USE}, COM_INIT_DB, the handshake's database) and returns it as it
     * applies to a session whose target was {@code current}.
     *
     * @throws TesseraException UNKNOWN_DATABASE for a malformed target or a keyspace the gateway does not know
     */
    TargetString choose(String target, TargetString current) {
        return choose(gateway, target, current);
    }

    /** As {@link #choose(String, TargetString)}, against {@code gateway}'s keyspaces. */
    static TargetString choose(TabletGateway gateway, String target, TargetString current) {
        TargetString t = TargetString.parse(target).appliedTo(current);
        if (!t.keyspace().isEmpty() && !gateway.keyspaces().contains(t.keyspace())) {
            throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, t.keyspace());
        }
        return t;
    }

    /**
     * The destination of a statement in {@code session}.
     *
     * @param named the keyspaces the statement names itself (as schema qualifiers), in order
     * @param needsDatabase whether the statement reads or writes tables of the default database; a statement that
     *     does not (SELECT without FROM, SHOW VARIABLES...) may go to any keyspace when none is selected
     * @throws TesseraException NO_DATABASE_SELECTED, UNKNOWN_DATABASE, KEYSPACE_NEEDS_SHARD or NO_HEALTHY_TABLET
     */
    Destination resolve(SessionOrBuilder session, List<String> named, boolean needsDatabase) {
        TargetString target = sessionTarget(session);
        String keyspace = target.keyspace();
        String shard = target.shard();
        if (!named.isEmpty() && !named.contains(keyspace)) {
            keyspace = named.getFirst();
            shard = "";
        }
        Set<String> known = gateway.keyspaces();
        if (keyspace.isEmpty()) {
            if (known.size() == 1) {
                keyspace = known.iterator().next();
            } else if (!needsDatabase && !known.isEmpty()) {
                keyspace = new TreeSet<>(known).first();
            } else {
                throw TesseraException.of(ErrorKind.NO_DATABASE_SELECTED);
            }
        } else if (!known.contains(keyspace)) {
            throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, keyspace);
        }
        TabletType type = target.tabletType() == TabletType.UNKNOWN ? config.defaultTabletType()
                : target.tabletType();
        return new Destination(keyspace, shard.isEmpty() ? onlyShard(keyspace, type) : shard, type);
    }

    /** The keyspace the session has selected, for DATABASE(); empty when none. */
    String selectedKeyspace(SessionOrBuilder session) {
        return sessionTarget(session).keyspace();
    }

    private String onlyShard(String keyspace, TabletType type) {
        List<String> shards = gateway.shards(keyspace);
        if (shards.size() == 1) {
            return shards.getFirst();
        }
        if (shards.isEmpty()) {
            throw TesseraException.of(ErrorKind.NO_HEALTHY_TABLET, TargetString.typeName(type), keyspace, "0",
                    "the watched cells (the keyspace has no shard with tablets)");
        }
        throw TesseraException.of(ErrorKind.KEYSPACE_NEEDS_SHARD, keyspace, shards.size(), keyspace,
                shards.getFirst());
    }
}
