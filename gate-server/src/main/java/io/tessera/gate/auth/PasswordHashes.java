package io.tessera.gate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The hash arithmetic of the MySQL password plugins. Comparisons run in constant time. */
final class PasswordHashes {
    private static final Pattern NATIVE_HASH = Pattern.compile("\\*[0-9A-Fa-f]{40}");

    private PasswordHashes() {}

    static byte[] sha1(byte[]... parts) {
        return digest("SHA-1", parts);
    }

    static byte[] sha256(byte[]... parts) {
        return digest("SHA-256", parts);
    }

    private static byte[] digest(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    /** {@code SHA1(SHA1(password))}: what a {@code MysqlNativePassword} entry stores (after the '*', in hex). */
    static byte[] nativeStage2(byte[] password) {
        return sha1(sha1(password));
    }

    /** Whether {@code text} has the {@code *} + 40 hex digits form of a {@code MysqlNativePassword}. */
    static boolean isNativeHashText(String text) {
        return NATIVE_HASH.matcher(text).matches();
    }

    /** The stage-2 hash in a {@code *HEX40} text. */
    static byte[] parseNativeHash(String text) {
        if (!isNativeHashText(text)) {
            throw new IllegalArgumentException("not a '*' followed by 40 hex digits");
        }
        return HexFormat.of().parseHex(text.substring(1));
    }

    /** The {@code *HEX40} text MySQL's {@code PASSWORD()} shows for {@code password}. */
    static String nativeHashText(String password) {
        return "*" + HexFormat.of().withUpperCase().formatHex(nativeStage2(password.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Whether {@code scramble} proves knowledge of the password whose stage-2 hash is {@code stage2}: undoing the
     * XOR with {@code SHA1(salt + stage2)} must give a stage-1 hash whose SHA-1 is {@code stage2}.
     */
    static boolean nativeScrambleMatches(byte[] stage2, byte[] salt, byte[] scramble) {
        if (scramble.length != 20) {
            return false;
        }
        byte[] stage1 = xor(scramble, sha1(salt, stage2));
        return MessageDigest.isEqual(sha1(stage1), stage2);
    }

    /** What a client sends for {@code password} under mysql_native_password with {@code salt}. */
    static byte[] nativeScramble(byte[] password, byte[] salt) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] stage1 = sha1(password);
        return xor(stage1, sha1(salt, sha1(stage1)));
    }

    /** What a client sends for {@code password} under caching_sha2_password fast authentication. */
    static byte[] sha2Scramble(byte[] password, byte[] salt) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] stage1 = sha256(password);
        return xor(stage1, sha256(sha256(stage1), salt));
    }

    /** Whether {@code scramble} is the caching_sha2 fast-authentication response for {@code password}. */
    static boolean sha2ScrambleMatches(byte[] password, byte[] salt, byte[] scramble) {
        return scramble.length == 32 && MessageDigest.isEqual(sha2Scramble(password, salt), scramble);
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i % b.length]);
        }
        return out;
    }
}
