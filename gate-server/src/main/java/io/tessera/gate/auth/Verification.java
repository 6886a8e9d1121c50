package io.tessera.gate.auth;

import io.tessera.gate.mysql.AuthenticatedUser;
import java.util.Objects;

/**
 * The outcome of checking a {@link Credential} that did not end in an access denial (denials are thrown as
 * {@link io.tessera.common.errors.TesseraException} with {@link io.tessera.common.errors.ErrorKind#ACCESS_DENIED}).
 */
public sealed interface Verification {
    /** The client proved its password; it continues as {@code user}. */
    record Accepted(AuthenticatedUser user) implements Verification {
        public Accepted {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * The stored credentials cannot check this form of proof (a caching_sha2 scramble against a stored
     * {@code MysqlNativePassword} hash): the protocol layer asks the client for another form and verifies that.
     * Only {@link Credential.Sha2Scramble} gets this answer.
     */
    record Unverifiable() implements Verification {}
}
