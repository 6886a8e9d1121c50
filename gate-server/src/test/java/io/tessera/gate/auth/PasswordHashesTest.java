package io.tessera.gate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordHashesTest {
    private static final byte[] SALT = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

    @Test
    void nativeHashTextMatchesMysqlPasswordFunction() {
        // SELECT PASSWORD('password') on MySQL 5.7 / MariaDB.
        assertThat(PasswordHashes.nativeHashText("password")).isEqualTo("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
    }

    @Test
    void nativeScrambleVerifiesAgainstTheStoredHashOnly() {
        byte[] pw = "s3cret".getBytes(StandardCharsets.UTF_8);
        byte[] scramble = PasswordHashes.nativeScramble(pw, SALT);
        byte[] stage2 = PasswordHashes.parseNativeHash(PasswordHashes.nativeHashText("s3cret"));
        assertThat(PasswordHashes.nativeScrambleMatches(stage2, SALT, scramble)).isTrue();
        assertThat(PasswordHashes.nativeScrambleMatches(stage2, "X123456789abcdefghij".getBytes(), scramble))
                .isFalse();
        assertThat(PasswordHashes.nativeScrambleMatches(PasswordHashes.nativeStage2("other".getBytes()), SALT,
                scramble)).isFalse();
        assertThat(PasswordHashes.nativeScrambleMatches(stage2, SALT, new byte[3])).isFalse();
    }

    @Test
    void sha2ScrambleMatchesOnlyTheRightPasswordAndSalt() {
        byte[] pw = "s3cret".getBytes(StandardCharsets.UTF_8);
        byte[] scramble = PasswordHashes.sha2Scramble(pw, SALT);
        assertThat(scramble).hasSize(32);
        assertThat(PasswordHashes.sha2ScrambleMatches(pw, SALT, scramble)).isTrue();
        assertThat(PasswordHashes.sha2ScrambleMatches("s3cres".getBytes(), SALT, scramble)).isFalse();
        assertThat(PasswordHashes.sha2ScrambleMatches(pw, "X123456789abcdefghij".getBytes(), scramble)).isFalse();
    }

    @Test
    void hashTextIsValidated() {
        assertThat(PasswordHashes.isNativeHashText("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19")).isTrue();
        assertThat(PasswordHashes.isNativeHashText("2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19")).isFalse();
        assertThat(PasswordHashes.isNativeHashText("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E1")).isFalse();
        assertThatThrownBy(() -> PasswordHashes.parseNativeHash("*zz")).isInstanceOf(IllegalArgumentException.class);
    }
}
