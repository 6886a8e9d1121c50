/**
 * Tessera's one error catalogue ({@link io.tessera.common.errors.ErrorKind}), the exception that carries an entry
 * ({@link io.tessera.common.errors.TesseraException}), and how errors cross gRPC with their code, catalogue id and
 * MySQL errno/SQLSTATE intact ({@link io.tessera.common.errors.GrpcErrors}). Errors become MySQL ERR packets only
 * at the gate's protocol edge.
 */
package io.tessera.common.errors;
