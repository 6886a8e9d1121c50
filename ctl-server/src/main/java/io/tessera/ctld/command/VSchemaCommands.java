package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.vschema.Keyspace;
import io.tessera.proto.vtctldata.ApplyRoutingRulesRequest;
import io.tessera.proto.vtctldata.ApplyRoutingRulesResponse;
import io.tessera.proto.vtctldata.ApplyVSchemaRequest;
import io.tessera.proto.vtctldata.ApplyVSchemaResponse;
import io.tessera.proto.vtctldata.GetRoutingRulesResponse;
import io.tessera.proto.vtctldata.GetVSchemaRequest;
import io.tessera.proto.vtctldata.GetVSchemaResponse;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** GetVSchema, ApplyVSchema, GetRoutingRules and ApplyRoutingRules. */
public final class VSchemaCommands {
    private final TopoServer topo;
    private final ServingGraph serving;

    public VSchemaCommands(TopoServer topo, ServingGraph serving) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.serving = Objects.requireNonNull(serving, "serving");
    }

    public GetVSchemaResponse getVSchema(GetVSchemaRequest request) throws TopoException {
        Topo.requireKeyspace(topo, request.getKeyspace());
        Keyspace vschema = Topo.optional(() -> topo.getVSchema(request.getKeyspace()).value()).orElseThrow(
                () -> CtldException.notFound("keyspace '" + request.getKeyspace() + "' has no VSchema"));
        return GetVSchemaResponse.newBuilder().setVSchema(vschema).build();
    }

    /**
     * Validates and stores a keyspace's VSchema, then (unless {@code skip_rebuild}) rebuilds SrvVSchema in the
     * given cells or all. {@code dry_run} only validates. Unknown vindex parameters are returned, and refused with
     * {@code strict}. ALTER VSCHEMA statements ({@code sql}) are not supported.
     */
    public ApplyVSchemaResponse applyVSchema(ApplyVSchemaRequest request) throws TopoException {
        String ks = request.getKeyspace();
        Topo.requireKeyspace(topo, ks);
        if (!request.getSql().isBlank()) {
            throw CtldException.invalidArgument("ALTER VSCHEMA statements are not supported; send the whole VSchema "
                    + "(v_schema, the Vitess JSON form on the command line)");
        }
        if (!request.hasVSchema()) {
            throw CtldException.invalidArgument("the VSchema (v_schema) is required");
        }
        Keyspace vschema = request.getVSchema();
        List<String> keyspaces = Topo.keyspaceNames(topo);
        Map<String, List<String>> unknown = VSchemaValidator.validate(ks, vschema, other -> {
            try {
                return Topo.optional(() -> topo.getVSchema(other).value());
            } catch (TopoException e) {
                return Optional.empty();
            }
        }, keyspaces);
        if (request.getStrict() && !unknown.isEmpty()) {
            throw CtldException.invalidArgument("invalid VSchema for keyspace '" + ks + "': unknown vindex "
                    + "parameters " + unknown + " (strict)");
        }
        ApplyVSchemaResponse.Builder response = ApplyVSchemaResponse.newBuilder().setVSchema(vschema);
        unknown.forEach((vindex, params) -> response.putUnknownVindexParams(vindex,
                ApplyVSchemaResponse.ParamList.newBuilder().addAllParams(params).build()));
        if (request.getDryRun()) {
            return response.build();
        }
        topo.saveVSchema(ks, vschema);
        if (!request.getSkipRebuild()) {
            serving.rebuildSrvVSchema(request.getCellsList());
        }
        return response.build();
    }

    public GetRoutingRulesResponse getRoutingRules() throws TopoException {
        return GetRoutingRulesResponse.newBuilder().setRoutingRules(topo.getRoutingRules()).build();
    }

    /** Replaces the routing rules, then (unless {@code skip_rebuild}) rebuilds SrvVSchema. */
    public ApplyRoutingRulesResponse applyRoutingRules(ApplyRoutingRulesRequest request) throws TopoException {
        for (var rule : request.getRoutingRules().getRulesList()) {
            if (rule.getFromTable().isEmpty()) {
                throw CtldException.invalidArgument("a routing rule has no from_table");
            }
        }
        topo.saveRoutingRules(request.getRoutingRules());
        if (!request.getSkipRebuild()) {
            serving.rebuildSrvVSchema(request.getRebuildCellsList());
        }
        return ApplyRoutingRulesResponse.getDefaultInstance();
    }
}
