package io.grpc;

/** Test access to how many cancellation listeners a gRPC {@link Context} holds (package-private in gRPC). */
public final class ContextListeners {
    private ContextListeners() {}

    public static int count(Context context) {
        return context.listenerCount();
    }
}
