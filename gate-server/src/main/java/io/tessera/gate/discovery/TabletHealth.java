package io.tessera.gate.discovery;

import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.Tablet;
import java.time.Instant;

/**
 * What the gate knows about one tablet: its topology record, the target it serves and its last health report.
 *
 * @param tablet the topology record (alias, host, ports)
 * @param target the keyspace, shard and tablet type the tablet reports serving
 * @param serving whether the tablet says it serves queries
 * @param replicationLagSeconds the replication lag it reported (0 on a primary)
 * @param healthError why the tablet is unhealthy, empty when healthy
 * @param primaryTermStartSeconds for a primary, when its term started (Unix seconds); 0 otherwise
 * @param lastReport when the last health report arrived, or null before the first one
 * @param inRotation whether the gate currently routes queries for {@code target} to this tablet: for PRIMARY,
 *     the serving tablet of the newest primary term; for other types, the serving tablets that pass the replication
 *     lag filter, in the gate's own cell when it has any there (tablets of other cells then serve only retries)
 */
public record TabletHealth(Tablet tablet, Target target, boolean serving, long replicationLagSeconds,
        String healthError, long primaryTermStartSeconds, Instant lastReport, boolean inRotation) {}
