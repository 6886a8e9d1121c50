package io.tessera.gate.grpc;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.executor.Caller;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.vtgate.Session;
import io.tessera.proto.vtrpc.CallerID;

/** Turns the parts of a {@code Vitess} request into what the executor takes, refusing incomplete requests. */
final class Requests {
    /** The user name of a caller that did not name a principal. */
    static final String DEFAULT_PRINCIPAL = "grpc-client";

    private Requests() {}

    /**
     * The session to run in: the client's own, or a fresh autocommit session when the client sent none (its first
     * call), so that a client that never keeps a session still gets MySQL's default behaviour.
     */
    static Session.Builder session(boolean present, Session session) {
        return present ? session.toBuilder() : Session.newBuilder().setAutocommit(true);
    }

    /**
     * The caller the client claims to be. The gRPC service has no authentication of its own, so the principal is
     * taken as given, like the MySQL listener's user name; an empty one becomes {@value #DEFAULT_PRINCIPAL}.
     */
    static Caller caller(CallerID id) {
        String principal = id.getPrincipal().isEmpty() ? DEFAULT_PRINCIPAL : id.getPrincipal();
        return new Caller(principal, id.getGroupsList());
    }

    /**
     * Fails with {@link ErrorKind#BAD_REQUEST} unless {@code query} is present and has a statement.
     *
     * @param what names the query in the message, e.g. "the request" or "query 3 of the batch"
     */
    static void requireSql(boolean present, BoundQuery query, String what) {
        if (!present || query.getSql().isBlank()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, what + " has no SQL statement; set query.sql");
        }
    }
}
