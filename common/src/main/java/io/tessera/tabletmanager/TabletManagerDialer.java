package io.tessera.tabletmanager;

import io.tessera.proto.topodata.Tablet;

/**
 * Finds the {@link TabletManagerClient} of a tablet from its topology record. The control daemon depends on this
 * interface, so tests can hand it fakes or in-process managers instead of remote tablets.
 */
@FunctionalInterface
public interface TabletManagerDialer {
    /**
     * A client for {@code tablet}, reached at its {@code hostname} and {@code grpc} port. Dialing does not
     * contact the tablet; a tablet that cannot be reached makes the calls fail with {@code UNAVAILABLE}.
     *
     * @throws TabletManagerException {@code FAILED_PRECONDITION} if the record has no host name or gRPC port
     */
    TabletManagerClient dial(Tablet tablet);
}
