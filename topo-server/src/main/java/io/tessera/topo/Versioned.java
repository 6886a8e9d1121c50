package io.tessera.topo;

/**
 * A decoded topology record with the version it was read at; pass it back to write with compare-and-set.
 *
 * @param value the decoded record
 * @param version the file's version when it was read
 */
public record Versioned<M>(M value, Version version) {}
