package io.tessera.gate.mysql;

import java.security.SecureRandom;

/** The 20-byte challenge of the password plugins. */
final class Salt {
    static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Salt() {}

    /**
     * A fresh salt of printable ASCII bytes: clients read the greeting's second salt part up to a NUL, and some
     * treat the salt as text, so NUL and high bytes are avoided.
     */
    static byte[] generate() {
        byte[] salt = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            salt[i] = (byte) (0x21 + RANDOM.nextInt(0x7e - 0x21 + 1));
        }
        return salt;
    }
}
