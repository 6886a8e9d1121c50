package io.tessera.gate.discovery;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tessera.proto.query.StreamHealthRequest;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.queryservice.QueryServiceGrpcAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * A tablet's StreamHealth side under the test's control: every open stream gets each published report, a new stream
 * gets the latest one at once (as a real tablet does), and the test can break all streams or fall silent.
 */
final class FakeHealthStreams implements QueryServiceGrpcAdapter.HealthStreams {
    private final List<ServerCallStreamObserver<StreamHealthResponse>> open = new ArrayList<>();
    private StreamHealthResponse latest;
    private boolean silent;
    private int subscriptions;

    @Override
    public synchronized void streamHealth(StreamHealthRequest request, StreamObserver<StreamHealthResponse> response) {
        ServerCallStreamObserver<StreamHealthResponse> call = (ServerCallStreamObserver<StreamHealthResponse>) response;
        call.setOnCancelHandler(() -> remove(call));
        subscriptions++;
        open.add(call);
        if (latest != null && !silent) {
            send(call, latest);
        }
    }

    /** Makes {@code report} the latest state and sends it on every open stream (unless silent). */
    synchronized void publish(StreamHealthResponse report) {
        latest = report;
        if (!silent) {
            open.forEach(call -> send(call, report));
        }
    }

    /** While silent, streams stay open but carry nothing, as from a hung tablet. */
    synchronized void silent(boolean value) {
        silent = value;
    }

    /** Ends every open stream with UNAVAILABLE, as when the tablet's connection breaks. */
    synchronized void breakStreams() {
        for (ServerCallStreamObserver<StreamHealthResponse> call : open) {
            try {
                call.onError(Status.UNAVAILABLE.withDescription("stream broken by the test").asRuntimeException());
            } catch (RuntimeException ignored) {
                // already cancelled by the gate
            }
        }
        open.clear();
    }

    synchronized int subscriptions() {
        return subscriptions;
    }

    synchronized int openStreams() {
        return open.size();
    }

    private synchronized void remove(ServerCallStreamObserver<StreamHealthResponse> call) {
        open.remove(call);
    }

    private static void send(ServerCallStreamObserver<StreamHealthResponse> call, StreamHealthResponse report) {
        try {
            call.onNext(report);
        } catch (RuntimeException ignored) {
            // the gate cancelled this stream meanwhile
        }
    }
}
