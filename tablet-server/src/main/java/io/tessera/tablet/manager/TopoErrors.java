package io.tessera.tablet.manager;

import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.TopoException;

/** Turns topology failures into {@link TabletManagerException}s. */
final class TopoErrors {
    private TopoErrors() {}

    /**
     * @param what what the manager was doing, in words ("reading tablet zone1-0000000101"); starts the message
     */
    static TabletManagerException of(String what, TopoException e) {
        Code code = e.rpcCode();
        return new TabletManagerException(code, what + ": " + e.getMessage(), e);
    }
}
