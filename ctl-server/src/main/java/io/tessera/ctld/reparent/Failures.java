package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.vtrpc.Code;
import io.tessera.topo.TopoException;

/** Turns the failures of tablet and topology calls into the codes and sentences a reparent reports. */
final class Failures {
    private Failures() {}

    /** The vtrpc code a failure carries: the tablet's own code, or UNAVAILABLE/INTERNAL for anything else. */
    static Code codeOf(Throwable t) {
        return CtldException.codeOf(t);
    }

    /** A short description of a failure for a message: its code and the message. */
    static String describe(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return codeOf(t).name() + ": " + message;
    }

    /** A topology failure while doing {@code what}. */
    static CtldException topo(String what, TopoException e) {
        return new CtldException(e.rpcCode(), what + " failed: " + e.getMessage(), e);
    }

    /** A tablet call failure: the code of the tablet's error, and a message that says what state is left. */
    static CtldException fromTablet(String whatFailed, Throwable cause, String stateAndAdvice) {
        return new CtldException(codeOf(cause), whatFailed + ": " + describe(cause) + ". " + stateAndAdvice, cause);
    }
}
