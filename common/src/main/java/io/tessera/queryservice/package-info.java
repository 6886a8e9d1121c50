/**
 * The tablet query service as gates see it: the {@link io.tessera.queryservice.QueryService} interface shared by the
 * tablet, the gRPC client ({@link io.tessera.queryservice.GrpcQueryServiceClient}) and test fakes; the gRPC binding
 * of any implementation ({@link io.tessera.queryservice.QueryServiceGrpcAdapter}); and the compact row format
 * ({@link io.tessera.queryservice.CompactRows}).
 */
package io.tessera.queryservice;
