package io.tessera.tablet.manager;

import io.tessera.proto.tabletmanagerdata.GetSchemaRequest;
import io.tessera.proto.tabletmanagerdata.SchemaDefinition;

/**
 * Where the tablet manager gets the tablet's schema for GetSchema and ReloadSchema: the tablet's schema engine.
 * Implementations report a MySQL failure as an unchecked exception.
 */
public interface SchemaSource {
    /** A tablet without a schema engine: both calls fail with UNIMPLEMENTED. */
    SchemaSource NONE = new SchemaSource() {
        @Override
        public SchemaDefinition getSchema(GetSchemaRequest request) {
            throw new io.tessera.tabletmanager.TabletManagerException(io.tessera.proto.vtrpc.Code.UNIMPLEMENTED,
                    "GetSchema: this tablet has no schema engine");
        }

        @Override
        public void reload() {
            throw new io.tessera.tabletmanager.TabletManagerException(io.tessera.proto.vtrpc.Code.UNIMPLEMENTED,
                    "ReloadSchema: this tablet has no schema engine");
        }
    };

    /** The schema as read from MySQL now, filtered as the request says. */
    SchemaDefinition getSchema(GetSchemaRequest request);

    /** Re-reads the schema and announces what changed. */
    void reload();
}
