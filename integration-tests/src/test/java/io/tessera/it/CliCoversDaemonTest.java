package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import io.tessera.ctl.command.CommandRegistry;
import io.tessera.ctl.command.CommandSpec;
import io.tessera.ctld.server.VtctldGrpcService;
import io.tessera.proto.vtctlservice.VtctldGrpc;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * tessera-ctl registers only commands the daemon implements: for every registered command, the {@code Vtctld} RPC
 * it calls must be overridden by {@link VtctldGrpcService}; otherwise the generated base class would answer
 * UNIMPLEMENTED. No processes: the registry and the service class are inspected directly.
 */
class CliCoversDaemonTest {

    @Test
    void everyCommandCallsAnRpcTheDaemonImplements() {
        List<CommandSpec> commands = CommandRegistry.standard().commands();
        assertThat(commands).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (CommandSpec c : commands) {
            Optional<MethodDescriptor<?, ?>> rpc = rpcTaking(c.request());
            if (rpc.isEmpty()) {
                problems.add(c.name() + ": no Vtctld RPC takes " + c.request().getSimpleName());
                continue;
            }
            if (!rpc.get().getBareMethodName().equals(c.rpc())) {
                problems.add(c.name() + ": declares RPC " + c.rpc() + " but " + c.request().getSimpleName()
                        + " belongs to " + rpc.get().getBareMethodName());
            }
            Method base = baseMethod(c.request());
            if (base == null) {
                problems.add(c.name() + ": VtctldImplBase has no method taking " + c.request().getSimpleName());
            } else if (!overridden(base)) {
                problems.add(c.name() + ": calls " + rpc.get().getBareMethodName() + ", which VtctldGrpcService "
                        + "does not implement (it would answer UNIMPLEMENTED)");
            }
        }
        assertThat(problems).as("commands whose RPC the daemon does not implement").isEmpty();
    }

    @Test
    void reparentTabletIsImplementedAndTheUnimplementedRpcsHaveNoCommand() {
        List<String> rpcs = CommandRegistry.standard().commands().stream().map(CommandSpec::rpc).toList();
        assertThat(rpcs).contains("ReparentTablet");
        assertThat(rpcs).doesNotContain("RunHealthCheck", "GetPermissions", "ExecuteMultiFetchAsDBA",
                "GetTopologyPath");
    }

    /** The RPC of the Vtctld service whose request message is {@code request}. */
    private static Optional<MethodDescriptor<?, ?>> rpcTaking(Class<?> request) {
        return VtctldGrpc.getServiceDescriptor().getMethods().stream()
                .filter(m -> m.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p
                        && p.getMessagePrototype() != null && p.getMessagePrototype().getClass() == request)
                .<MethodDescriptor<?, ?>>map(m -> m)
                .findFirst();
    }

    /**
     * The generated handler for {@code request}, {@code void rpc(Request, StreamObserver<Response>)}, as
     * VtctldImplBase has it (generated as a default method of the AsyncService interface it implements, which
     * answers UNIMPLEMENTED).
     */
    private static Method baseMethod(Class<?> request) {
        return Arrays.stream(VtctldGrpc.VtctldImplBase.class.getMethods())
                .filter(m -> m.getParameterCount() == 2
                        && m.getParameterTypes()[0] == request && m.getParameterTypes()[1] == StreamObserver.class)
                .findFirst().orElse(null);
    }

    private static boolean overridden(Method base) {
        try {
            Method own = VtctldGrpcService.class.getDeclaredMethod(base.getName(), base.getParameterTypes());
            return !Modifier.isAbstract(own.getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
