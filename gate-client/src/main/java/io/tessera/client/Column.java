package io.tessera.client;

import io.tessera.proto.query.Type;
import java.util.Objects;

/** One column of a result: its name as the statement labelled it, and its SQL type. */
public record Column(String name, Type type) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
