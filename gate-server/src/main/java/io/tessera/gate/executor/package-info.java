/**
 * The gate's executor: {@link io.tessera.gate.executor.GateExecutor} runs the statements of client sessions
 * (targets, transactions, session variables, reserved connections, statements the gate answers itself, keyspace
 * name translation, timeouts and limits) against a {@link io.tessera.gate.discovery.TabletGateway}, and {@link
 * io.tessera.gate.executor.MysqlSessions} holds the session of each MySQL protocol connection. See EXECUTOR.md in
 * this directory for the behaviour in full.
 */
package io.tessera.gate.executor;
