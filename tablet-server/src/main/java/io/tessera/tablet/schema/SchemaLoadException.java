package io.tessera.tablet.schema;

/** The schema could not be read from mysqld; the message says why. */
public final class SchemaLoadException extends RuntimeException {
    public SchemaLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
