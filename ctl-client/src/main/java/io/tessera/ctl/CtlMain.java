package io.tessera.ctl;

import io.tessera.ctl.command.CommandRegistry;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code bin/tessera-ctl}: runs one command against tessera-ctld and exits with its code. */
public final class CtlMain {
    private CtlMain() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8));
        int code = new Ctl(out, err, ChannelFactory.plaintext(), CommandRegistry.standard()).run(args);
        System.exit(code);
    }
}
