package io.tessera.queryservice;

import io.grpc.stub.StreamObserver;
import io.tessera.proto.query.MultiplexExecuteRequests;
import io.tessera.proto.query.MultiplexExecuteResponses;

/**
 * How {@link MultiplexedExecutes} opens a stream to a tablet: a gRPC {@code MultiplexExecuteBatches} call or a
 * connection to the tablet's framed multiplex port ({@link FramedMultiplexClient}). Either way the stream behaves
 * as a gRPC bidirectional stream: answers, then a clean end or an error, delivered on the caller's event loop.
 */
@FunctionalInterface
interface MultiplexTransport {
    /** Opens a stream whose answers go to {@code answers}; returns where its requests go. Does not block. */
    StreamObserver<MultiplexExecuteRequests> open(StreamObserver<MultiplexExecuteResponses> answers);
}
