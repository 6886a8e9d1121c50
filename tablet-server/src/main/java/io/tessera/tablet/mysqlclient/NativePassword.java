package io.tessera.tablet.mysqlclient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The mysql_native_password scramble: {@code SHA1(password) XOR SHA1(seed + SHA1(SHA1(password)))}, 20 bytes; empty
 * for an empty password.
 */
final class NativePassword {
    static final String PLUGIN = "mysql_native_password";
    private static final int SEED_LENGTH = 20;

    private NativePassword() {}

    static byte[] scramble(String password, byte[] seed) {
        if (password.isEmpty()) {
            return new byte[0];
        }
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] stage2 = sha1.digest(stage1);
            // Only the first 20 bytes are the seed (an auth switch may send a trailing NUL).
            sha1.update(seed, 0, Math.min(seed.length, SEED_LENGTH));
            sha1.update(stage2);
            byte[] mask = sha1.digest();
            byte[] out = new byte[stage1.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (stage1[i] ^ mask[i]);
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }
}
