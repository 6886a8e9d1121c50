/**
 * The gate's SQL handling without a full parser: a lexer that keeps token offsets ({@link
 * io.tessera.gate.sql.SqlLexer}), statement classification ({@link io.tessera.gate.sql.StatementClassifier}),
 * multi-statement splitting ({@link io.tessera.gate.sql.StatementSplitter}), SET statements ({@link
 * io.tessera.gate.sql.SetStatement}), prepared-statement placeholders ({@link io.tessera.gate.sql.Placeholders}),
 * keyspace-to-database name rewriting ({@link io.tessera.gate.sql.SchemaNames}) and the session values a statement
 * reads ({@link io.tessera.gate.sql.SessionReference}). Everything here is a pure function of the statement text.
 */
package io.tessera.gate.sql;
