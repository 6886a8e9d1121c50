/**
 * Tablet health: replication lag from heartbeats, the serving decision, and the StreamHealth feed the gates
 * follow.
 *
 * <p>The parts, and how the tablet's {@code main} wires them:
 *
 * <pre>{@code
 * ScheduledExecutorService scheduler = ...;               // shared; a few threads, shut down by main
 * HealthConfig config = HealthConfig.defaults();          // from --health_check_interval, --heartbeat_interval,
 *                                                         //   --degraded_threshold, --unhealthy_threshold
 * ReplicationTracker tracker = new ReplicationTracker(config, mysqld.dba(), keyspace, shard, uid, scheduler, clock);
 * HealthCheck check = new HealthCheck(config, MysqldProbe.ping(mysqld.dba(), config.mysqlTimeout()), tracker,
 *         stateManager::healthState);                 // a TabletStateSource
 * HealthStreamer streamer = new HealthStreamer(alias, HealthReport.notYetChecked(target));
 * HealthMonitor monitor = new HealthMonitor(config, check, streamer, scheduler);
 * monitor.start();
 * // on every type change: tracker.makePrimary() or tracker.makeNonPrimary(), then monitor.checkNow()
 * // Query gRPC adapter: streamHealth(request, observer) -> streamer.streamHealth(request, observer)
 * // schema changes:     schemaEngine.addListener(c -> streamer.announceSchemaChange(c.changedTables(), c.changedViews()))
 * // shutdown:           monitor.close(); tracker.close(); streamer.close()
 * }</pre>
 *
 * <p><b>Lag.</b> A primary's {@link io.tessera.tablet.health.ReplicationTracker} upserts its shard's row of
 * {@code _vt.heartbeat} (Vitess's layout: {@code keyspaceShard}, {@code tabletUid}, {@code ts} in nanoseconds by
 * the primary's clock) every heartbeat interval, with binary logging on; replicas compute their lag as their clock
 * minus that timestamp, so the lag keeps growing while replication is stopped or broken. A replica that cannot read
 * the heartbeat (mysqld down, table not replicated yet) has no lag but a health error.
 *
 * <p><b>Serving.</b> {@link io.tessera.tablet.health.HealthCheck} says a tablet serves when its state manager wants
 * it to, mysqld answers, and (not being primary) its lag is known and at most {@code --unhealthy_threshold}. Above
 * {@code --degraded_threshold} it is {@link io.tessera.tablet.health.HealthStatus#DEGRADED}: still serving, with no
 * health error, since the gate ranks replicas by the lag it sees in every message.
 *
 * <p><b>Streaming.</b> {@link io.tessera.tablet.health.HealthStreamer} pushes the state on every change and, through
 * {@link io.tessera.tablet.health.HealthMonitor}, at least once per health check interval; each subscriber keeps at
 * most one unsent message.
 */
package io.tessera.tablet.health;
