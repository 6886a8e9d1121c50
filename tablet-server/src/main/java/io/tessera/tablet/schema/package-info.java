/**
 * The schema engine: what tables and views the tablet's database holds.
 *
 * <p>{@link io.tessera.tablet.schema.SchemaEngine} loads {@link io.tessera.tablet.schema.Schema} snapshots
 * (tables and views with their columns, primary keys, indexes and CREATE statements) from
 * {@code information_schema} and {@code SHOW CREATE TABLE}, on demand and every
 * {@code --queryserver-config-schema-reload-time}. It compares successive loads and tells its
 * {@link io.tessera.tablet.schema.SchemaChangeListener}s which objects were created, altered or dropped
 * ({@link io.tessera.tablet.schema.SchemaChange}); the health streamer announces those names to the gates.
 * {@link io.tessera.tablet.schema.SchemaDefinitions} and {@link io.tessera.tablet.schema.TableFilter} answer the
 * TabletManager GetSchema RPC with Vitess's filters (names or /regexps/, exclusions, views on request).
 *
 * <p>Unlike Vitess, the engine keeps its snapshots in memory only (Vitess also copies them into {@code _vt.tables}
 * to compare across restarts); after a tablet restart the first load is a new baseline.
 */
package io.tessera.tablet.schema;
