/**
 * A Java client for the gate's gRPC {@code Vitess} service.
 *
 * <p>{@link io.tessera.client.GateClient} owns the connection to a gate; {@link io.tessera.client.GateSession}
 * runs statements in one session, which lives on the client (the gate keeps none) and is sent with every call;
 * {@link io.tessera.client.Result} and {@link io.tessera.client.Row} are the decoded results;
 * {@link io.tessera.client.BindVariables} turns Java values into bind variables; a failed statement throws
 * {@link io.tessera.client.GateException}.
 */
package io.tessera.client;
