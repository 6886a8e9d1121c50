package io.tessera.gate.discovery;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tessera.proto.query.StreamHealthRequest;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.queryservice.QueryGrpc;

/**
 * One open {@code StreamHealth} call to a tablet. It hands every report and the end of the stream to its
 * {@link Listener}, on gRPC's threads; the listener tells streams apart by identity, so a report still in flight
 * from a stream that was already replaced can be ignored.
 */
final class HealthStream {
    /** Receives what one stream delivers. */
    interface Listener {
        void report(HealthStream stream, StreamHealthResponse response);

        /** The stream ended: the tablet closed it, the connection broke, or it was cancelled. */
        void ended(HealthStream stream, String reason);
    }

    private volatile ClientCallStreamObserver<StreamHealthRequest> call;

    private HealthStream() {}

    /** Starts a stream on {@code channel}. Does not block. */
    static HealthStream open(Channel channel, Listener listener) {
        HealthStream stream = new HealthStream();
        QueryGrpc.newStub(channel).streamHealth(StreamHealthRequest.getDefaultInstance(),
                new ClientResponseObserver<StreamHealthRequest, StreamHealthResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamHealthRequest> requestStream) {
                        stream.call = requestStream;
                    }

                    @Override
                    public void onNext(StreamHealthResponse response) {
                        listener.report(stream, response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        Status status = Status.fromThrowable(t);
                        listener.ended(stream, "health stream failed: " + status.getCode()
                                + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")"));
                    }

                    @Override
                    public void onCompleted() {
                        listener.ended(stream, "the tablet ended its health stream");
                    }
                });
        return stream;
    }

    /** Ends the stream from this side; the listener then hears {@code ended} (and may ignore it). */
    void cancel(String why) {
        ClientCallStreamObserver<StreamHealthRequest> c = call;
        if (c != null) {
            c.cancel(why, null);
        }
    }
}
