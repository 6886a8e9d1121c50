package io.tessera.gate.mysql;

import io.tessera.gate.auth.AuthServer;

/** What every connection of one server shares. */
record ServerContext(MysqlServerConfig config, AuthServer auth, ConnectionHandlerFactory handlers,
        ServerMetrics metrics, ServerStatistics statistics, ConnectionRegistry registry) {}
