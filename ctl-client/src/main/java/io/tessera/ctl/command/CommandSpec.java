package io.tessera.ctl.command;

import com.google.protobuf.Message;
import io.tessera.ctl.cli.ArgParser;
import io.tessera.ctl.cli.FlagDef;
import io.tessera.ctl.cli.ParsedArgs;
import io.tessera.ctl.cli.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One {@code tessera-ctl} command: its names, its help and how its command line becomes a {@link Call}.
 *
 * @param name the modern name (as vtctldclient spells it)
 * @param aliases older names still accepted (as vtctlclient spelled them)
 * @param group its heading in {@code help}
 * @param args the positional arguments in usage text, for example {@code <keyspace/shard> <tablet alias>}
 * @param summary one line for the command list
 * @param details more text for {@code help Command}; may be empty
 * @param flags the flags it accepts
 * @param request the type of request it sends, which names the {@code Vtctld} RPC it calls ({@code FooRequest}
 *     goes to RPC {@code Foo}); {@link #parse} checks every call it builds against it
 * @param parser turns parsed arguments into the call
 */
public record CommandSpec(String name, List<String> aliases, Group group, String args, String summary,
                          String details, List<FlagDef> flags, Class<? extends Message> request, Parser parser) {

    /** Builds a call from parsed arguments. */
    @FunctionalInterface
    public interface Parser {
        Call<?, ?> parse(ParsedArgs args) throws UsageException;
    }

    public CommandSpec {
        aliases = List.copyOf(aliases);
        flags = List.copyOf(flags);
        Objects.requireNonNull(request, "request");
    }

    /** Parses a command line (the words after the command name). */
    public Call<?, ?> parse(List<String> words) throws UsageException {
        Call<?, ?> call = parser.parse(ArgParser.parse(name, flags, words));
        for (Message sent : call.requests()) {
            if (!request.isInstance(sent)) {
                throw new IllegalStateException(name + " is declared to send " + request.getSimpleName()
                        + " but built a " + sent.getClass().getSimpleName());
            }
        }
        return call;
    }

    /** The name of the {@code Vtctld} RPC this command calls, for example {@code GetTablet}. */
    public String rpc() {
        String type = request.getSimpleName();
        return type.substring(0, type.length() - "Request".length());
    }

    /** The usage line, for example {@code tessera-ctl [global flags] GetTablet <tablet alias>}. */
    public String usageLine() {
        return "tessera-ctl [global flags] " + name + (flags.isEmpty() ? "" : " [flags]")
                + (args.isEmpty() ? "" : " " + args);
    }

    /** Full help: usage, old names, description and flags. */
    public String help() {
        StringBuilder out = new StringBuilder("Usage: ").append(usageLine()).append('\n');
        if (!aliases.isEmpty()) {
            out.append("Also accepted as: ").append(String.join(", ", aliases)).append('\n');
        }
        out.append('\n').append(summary).append('\n');
        if (!details.isEmpty()) {
            out.append('\n').append(details.strip()).append('\n');
        }
        if (!flags.isEmpty()) {
            out.append("\nFlags (one or two dashes; _ and - are interchangeable):\n");
            int width = flags.stream().mapToInt(f -> f.synopsis().length()).max().orElse(0);
            for (FlagDef f : flags) {
                out.append("  ").append(f.synopsis()).append(" ".repeat(width - f.synopsis().length() + 2))
                        .append(f.help());
                if (!f.aliases().isEmpty()) {
                    out.append(" (old name: ")
                            .append(String.join(", ", f.aliases().stream().map(a -> "-" + a).toList()))
                            .append(')');
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Starts a command definition. */
    static Builder command(String name, Group group) {
        return new Builder(name, group);
    }

    /** Fluent definition of a command; {@link #parse} finishes it. */
    static final class Builder {
        private final String name;
        private final Group group;
        private final List<String> aliases = new ArrayList<>();
        private final List<FlagDef> flags = new ArrayList<>();
        private String args = "";
        private String summary = "";
        private String details = "";
        private Class<? extends Message> request;

        private Builder(String name, Group group) {
            this.name = name;
            this.group = group;
        }

        Builder aliases(String... names) {
            aliases.addAll(Arrays.asList(names));
            return this;
        }

        Builder args(String usage) {
            this.args = usage;
            return this;
        }

        Builder summary(String text) {
            this.summary = text;
            return this;
        }

        Builder details(String text) {
            this.details = text;
            return this;
        }

        Builder flags(FlagDef... defs) {
            flags.addAll(Arrays.asList(defs));
            return this;
        }

        /** The request type the command sends: names the RPC it calls. */
        Builder sends(Class<? extends Message> type) {
            if (!type.getSimpleName().endsWith("Request")) {
                throw new IllegalArgumentException(type + " is not a Vtctld request type");
            }
            this.request = type;
            return this;
        }

        CommandSpec parse(Parser parser) {
            if (request == null) {
                throw new IllegalStateException("command " + name + " does not say which request it sends");
            }
            return new CommandSpec(name, aliases, group, args, summary, details, flags, request, parser);
        }
    }
}
