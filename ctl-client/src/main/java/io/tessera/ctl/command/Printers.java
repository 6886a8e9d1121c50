package io.tessera.ctl.command;

import com.google.protobuf.MessageOrBuilder;
import io.tessera.ctl.format.Json;
import io.tessera.proto.logutil.Event;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/** Output shapes shared by several commands. */
final class Printers {
    private Printers() {}

    /** The JSON of a part of the response. */
    static <R> Call.Printer<R> json(Function<R, ? extends MessageOrBuilder> part) {
        return (response, out) -> out.println(Json.print(part.apply(response)));
    }

    /** The whole response as JSON. */
    static <R extends MessageOrBuilder> Call.Printer<R> json() {
        return (response, out) -> out.println(Json.print(response));
    }

    /** One line per string. */
    static <R> Call.Printer<R> lines(Function<R, ? extends List<String>> part) {
        return (response, out) -> part.apply(response).forEach(out::println);
    }

    /** The text of each log event, one per line. */
    static void events(List<Event> events, PrintWriter out) {
        for (Event e : events) {
            out.println(e.getValue());
        }
    }
}
