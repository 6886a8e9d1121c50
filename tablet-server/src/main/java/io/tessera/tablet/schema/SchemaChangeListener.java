package io.tessera.tablet.schema;

/**
 * Told about every reload that found a change. Called on the reloading thread after the new schema is in place,
 * one change at a time, in order; it should return quickly. The health streamer's announcement is the main use:
 * {@code engine.addListener(c -> streamer.announceSchemaChange(c.changedTables(), c.changedViews()))}.
 */
@FunctionalInterface
public interface SchemaChangeListener {
    void schemaChanged(SchemaChange change);
}
