package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.CellInfo;
import io.tessera.proto.vtctldata.AddCellInfoRequest;
import io.tessera.proto.vtctldata.AddCellInfoResponse;
import io.tessera.proto.vtctldata.DeleteCellInfoRequest;
import io.tessera.proto.vtctldata.DeleteCellInfoResponse;
import io.tessera.proto.vtctldata.GetCellInfoNamesResponse;
import io.tessera.proto.vtctldata.GetCellInfoRequest;
import io.tessera.proto.vtctldata.GetCellInfoResponse;
import io.tessera.proto.vtctldata.UpdateCellInfoRequest;
import io.tessera.proto.vtctldata.UpdateCellInfoResponse;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import java.util.List;
import java.util.Objects;

/** AddCellInfo, GetCellInfo, GetCellInfoNames, UpdateCellInfo and DeleteCellInfo. */
public final class CellCommands {
    private final TopoServer topo;

    public CellCommands(TopoServer topo) {
        this.topo = Objects.requireNonNull(topo, "topo");
    }

    /** Registers a cell; refused if it exists. An empty root means a directory named after the cell. */
    public AddCellInfoResponse addCellInfo(AddCellInfoRequest request) throws TopoException {
        Topo.requireName("cell", request.getName());
        CellInfo info = request.getCellInfo();
        if (info.getRoot().isEmpty()) {
            info = info.toBuilder().setRoot(request.getName()).build();
        }
        try {
            topo.createCellInfo(request.getName(), info);
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NODE_EXISTS)) {
                throw CtldException.alreadyExists("cell '" + request.getName() + "' already exists; use UpdateCellInfo "
                        + "to change it");
            }
            throw e;
        }
        return AddCellInfoResponse.getDefaultInstance();
    }

    public GetCellInfoResponse getCellInfo(GetCellInfoRequest request) throws TopoException {
        Topo.requireName("cell", request.getCell());
        CellInfo info = Topo.optional(() -> topo.getCellInfo(request.getCell())).orElseThrow(
                () -> CtldException.notFound("cell '" + request.getCell() + "' does not exist"));
        return GetCellInfoResponse.newBuilder().setCellInfo(info).build();
    }

    public GetCellInfoNamesResponse getCellInfoNames() throws TopoException {
        List<String> names = Topo.optional(topo::getCellInfoNames).orElse(List.of());
        return GetCellInfoNamesResponse.newBuilder().addAllNames(names.stream().sorted().toList()).build();
    }

    /** Replaces the non-empty fields of a cell's record; a cell that does not exist yet is created (as in Vitess). */
    public UpdateCellInfoResponse updateCellInfo(UpdateCellInfoRequest request) throws TopoException {
        Topo.requireName("cell", request.getName());
        CellInfo change = request.getCellInfo();
        CellInfo result;
        try {
            result = topo.updateCellInfoFields(request.getName(), current -> {
                CellInfo.Builder b = current.toBuilder();
                if (!change.getServerAddress().isEmpty()) {
                    b.setServerAddress(change.getServerAddress());
                }
                if (!change.getRoot().isEmpty()) {
                    b.setRoot(change.getRoot());
                }
                CellInfo updated = b.build();
                return updated.equals(current) ? current : updated;
            }).value();
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NO_NODE)) {
                throw e;
            }
            addCellInfo(AddCellInfoRequest.newBuilder().setName(request.getName()).setCellInfo(change).build());
            result = topo.getCellInfo(request.getName());
        }
        return UpdateCellInfoResponse.newBuilder().setName(request.getName()).setCellInfo(result).build();
    }

    /**
     * Deletes a cell's record. Refused while the cell still holds tablets or serving graphs, unless {@code force}
     * (which also goes ahead when the cell's topology cannot be read). The cell's own data is left where it is.
     */
    public DeleteCellInfoResponse deleteCellInfo(DeleteCellInfoRequest request) throws TopoException {
        Topo.requireName("cell", request.getName());
        if (Topo.optional(() -> topo.getCellInfo(request.getName())).isEmpty()) {
            throw CtldException.notFound("cell '" + request.getName() + "' does not exist");
        }
        if (!request.getForce()) {
            int tablets = topo.getTabletAliasesByCell(request.getName()).size();
            List<String> serving = topo.getSrvKeyspaceNames(request.getName());
            if (tablets > 0 || !serving.isEmpty()) {
                throw CtldException.failedPrecondition("cell '" + request.getName() + "' still has " + tablets
                        + " tablet(s) and serving graphs for " + serving + "; delete them first or pass force");
            }
        }
        topo.deleteCellInfo(request.getName());
        return DeleteCellInfoResponse.getDefaultInstance();
    }
}
