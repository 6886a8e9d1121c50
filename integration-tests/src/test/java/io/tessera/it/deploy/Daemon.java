package io.tessera.it.deploy;

import io.tessera.ctld.daemon.CtldMain;
import io.tessera.gate.daemon.GateMain;
import io.tessera.tablet.daemon.TabletMain;
import io.tessera.topo.server.TopoMain;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The Tessera daemons as the deployment files run them: the program name, the daemon's own flag definitions (its
 * picocli command, the same object {@code --help} is printed from) and the flags that open a listening port.
 */
enum Daemon {
    TOPO("tessera-topo", TopoMain::new, "port"),
    TABLET("tessera-tablet", TabletMain::new, "port", "grpc-port"),
    GATE("tessera-gate", GateMain::new, "mysql-server-port", "port", "grpc-port"),
    CTLD("tessera-ctld", CtldMain::new, "port", "grpc-port");

    private final String program;
    private final Supplier<Object> main;
    private final List<String> portFlags;

    Daemon(String program, Supplier<Object> main, String... portFlags) {
        this.program = program;
        this.main = main;
        this.portFlags = List.of(portFlags);
    }

    /** The command name, as in {@code bin/} and in the image. */
    String program() {
        return program;
    }

    /** Canonical names ({@code grpc-port}) of the flags whose values are ports the daemon listens on. */
    List<String> portFlags() {
        return portFlags;
    }

    /** A new instance of the daemon's main class (its picocli command); nothing is started. */
    Object newMain() {
        return main.get();
    }

    /** A fresh picocli command line over a new instance of the daemon's main class; nothing is started. */
    CommandLine commandLine() {
        CommandLine cl = new CommandLine(newMain());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    static Optional<Daemon> byProgram(String program) {
        return Arrays.stream(values()).filter(d -> d.program.equals(program)).findFirst();
    }
}
