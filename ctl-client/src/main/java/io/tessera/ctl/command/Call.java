package io.tessera.ctl.command;

import com.google.protobuf.Message;
import io.tessera.proto.vtctlservice.VtctldGrpc.VtctldBlockingStub;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * A parsed command, ready to run: the typed request(s), the {@code Vtctld} RPC that takes them and how to print
 * each response. Most commands send one request; a command that names several keyspaces (for example
 * {@code RebuildKeyspaceGraph ks1 ks2}) sends one per keyspace, in order, and stops at the first failure.
 *
 * @param requests what is sent, in order; tests compare these with what the command line asked for
 * @param rpc the RPC on the blocking stub
 * @param printer what the operator sees for each response
 */
public record Call<Q extends Message, R extends Message>(List<Q> requests, Rpc<Q, R> rpc, Printer<R> printer) {

    /** One RPC of the {@code Vtctld} service. */
    @FunctionalInterface
    public interface Rpc<Q, R> {
        R call(VtctldBlockingStub stub, Q request);
    }

    /** Writes a response for the operator. */
    @FunctionalInterface
    public interface Printer<R> {
        void print(R response, PrintWriter out) throws IOException;
    }

    public Call {
        requests = List.copyOf(requests);
    }

    public static <Q extends Message, R extends Message> Call<Q, R> of(Q request, Rpc<Q, R> rpc, Printer<R> printer) {
        return new Call<>(List.of(request), rpc, printer);
    }

    /** The first (usually only) request. */
    public Q request() {
        return requests.getFirst();
    }

    /** Sends every request and prints every response. */
    public void execute(VtctldBlockingStub stub, PrintWriter out) throws IOException {
        for (Q request : requests) {
            printer.print(rpc.call(stub, request), out);
            out.flush();
        }
    }

    /** A printer for responses that carry nothing to show: success is silent, as in Vitess. */
    public static <R> Printer<R> silent() {
        return (response, out) -> { };
    }
}
