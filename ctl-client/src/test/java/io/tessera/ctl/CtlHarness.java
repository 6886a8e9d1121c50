package io.tessera.ctl;

import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tessera.ctl.command.CommandRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tessera-ctl command lines against a {@link FakeVtctld} over an in-process channel. */
final class CtlHarness implements AutoCloseable {
    /** What a command line produced. */
    record Result(int code, String out, String err) {}

    final FakeVtctld fake = new FakeVtctld();
    /** The --server value of every channel opened. */
    final List<String> dialed = new ArrayList<>();
    private final String name = InProcessServerBuilder.generateName();
    private final Server server;

    CtlHarness() throws IOException {
        server = InProcessServerBuilder.forName(name).directExecutor().addService(fake).build().start();
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ChannelFactory channels = target -> {
            dialed.add(target);
            return InProcessChannelBuilder.forName(name).directExecutor().build();
        };
        int code = new Ctl(new PrintWriter(out), new PrintWriter(err), channels, CommandRegistry.standard())
                .run(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
