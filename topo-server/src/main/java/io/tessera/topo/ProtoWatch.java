package io.tessera.topo;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/**
 * A watch on one protobuf record: its decoded initial value, then each decoded change, as {@link TopoConn#watch}
 * delivers them (every change, in order, on one thread).
 */
public final class ProtoWatch<M extends Message> implements AutoCloseable {

    /** Receives a watched record's changes. */
    public interface Listener<M> {
        /** A new value of the record. */
        void onChange(Versioned<M> value);

        /**
         * The watch ended: {@code error} is null when the record was deleted, else why it broke (including a record
         * that no longer decodes). No call follows.
         */
        void onEnd(TopoException error);
    }

    private final TopoWatch watch;
    private final Versioned<M> initial;

    private ProtoWatch(TopoWatch watch, Versioned<M> initial) {
        this.watch = watch;
        this.initial = initial;
    }

    /**
     * Starts watching {@code path}.
     *
     * @throws TopoException {@code NO_NODE} if the record does not exist; {@code UNAVAILABLE} if it does not decode
     */
    public static <M extends Message> ProtoWatch<M> start(TopoConn conn, String path, Parser<M> parser,
            Listener<M> listener) throws TopoException {
        TopoWatch w = conn.watch(path, new Decoder<>(path, parser, listener));
        try {
            M value = ProtoFiles.decode(path, w.initial().contents(), parser);
            return new ProtoWatch<>(w, new Versioned<>(value, w.initial().version()));
        } catch (TopoException e) {
            w.cancel();
            throw e;
        }
    }

    /** The record's value when the watch started. */
    public Versioned<M> initial() {
        return initial;
    }

    /** Stops the watch; see {@link TopoWatch#cancel()}. */
    @Override
    public void close() {
        watch.cancel();
    }

    /** Decodes raw watch events for a listener; a record that fails to decode ends the watch. */
    private static final class Decoder<M extends Message> implements java.util.function.Consumer<WatchEvent> {
        private final String path;
        private final Parser<M> parser;
        private final Listener<M> listener;
        private boolean ended;

        Decoder(String path, Parser<M> parser, Listener<M> listener) {
            this.path = path;
            this.parser = parser;
            this.listener = listener;
        }

        @Override
        public void accept(WatchEvent event) {
            if (ended) {
                return;
            }
            switch (event) {
                case WatchEvent.Changed c -> {
                    try {
                        M value = ProtoFiles.decode(path, c.data().contents(), parser);
                        listener.onChange(new Versioned<>(value, c.data().version()));
                    } catch (TopoException e) {
                        ended = true;
                        listener.onEnd(e);
                    }
                }
                case WatchEvent.Deleted d -> {
                    ended = true;
                    listener.onEnd(null);
                }
                case WatchEvent.Failed f -> {
                    ended = true;
                    listener.onEnd(f.error());
                }
            }
        }
    }
}
