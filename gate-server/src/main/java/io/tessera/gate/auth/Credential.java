package io.tessera.gate.auth;

/**
 * What a client offered as proof of its password, in one of the forms the MySQL authentication plugins use. The
 * byte arrays are copied on the way in and out, so a credential cannot be changed after it was built.
 */
public sealed interface Credential {
    /** Whether the client sent any password at all: the {@code (using password: YES|NO)} of an access denial. */
    boolean passwordGiven();

    /**
     * A {@code mysql_native_password} response: {@code SHA1(password) XOR SHA1(salt + SHA1(SHA1(password)))}, or
     * empty for an empty password.
     */
    record NativeScramble(byte[] salt, byte[] scramble) implements Credential {
        public NativeScramble {
            salt = salt.clone();
            scramble = scramble.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] scramble() {
            return scramble.clone();
        }

        @Override
        public boolean passwordGiven() {
            return scramble.length > 0;
        }
    }

    /**
     * A {@code caching_sha2_password} fast-authentication response:
     * {@code SHA256(password) XOR SHA256(SHA256(SHA256(password)) + salt)}, or empty for an empty password.
     */
    record Sha2Scramble(byte[] salt, byte[] scramble) implements Credential {
        public Sha2Scramble {
            salt = salt.clone();
            // Clients send a single NUL for an empty password.
            scramble = scramble.length == 1 && scramble[0] == 0 ? new byte[0] : scramble.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] scramble() {
            return scramble.clone();
        }

        @Override
        public boolean passwordGiven() {
            return scramble.length > 0;
        }
    }

    /** The password itself (UTF-8), as {@code mysql_clear_password} and caching_sha2 full authentication send it. */
    record Cleartext(byte[] password) implements Credential {
        public Cleartext {
            password = password.clone();
        }

        @Override
        public byte[] password() {
            return password.clone();
        }

        @Override
        public boolean passwordGiven() {
            return password.length > 0;
        }

        @Override
        public String toString() {
            return "Cleartext[password=<hidden>]";
        }
    }
}
