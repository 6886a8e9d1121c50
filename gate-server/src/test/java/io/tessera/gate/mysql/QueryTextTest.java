package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QueryTextTest {
    private static String decode(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        byte[] b = out.toByteArray();
        return QueryText.decode(b, 0, b.length);
    }

    @Test
    void validUtf8IsDecodedAsIs() {
        assertThat(decode("SELECT 'héllo', `naïve` FROM t")).isEqualTo("SELECT 'héllo', `naïve` FROM t");
    }

    @Test
    void binaryLiteralsBecomeHexLiteralsOfTheSameBytes() {
        assertThat(decode("INSERT INTO t VALUES (_binary'", new byte[] {0, (byte) 0xff, '\\', '0', '\\', '\'',
                '\'', '\''}, "', 'ok é')"))
                .isEqualTo("INSERT INTO t VALUES (_binary X'00ff002727', 'ok é')");
        assertThat(decode("SELECT \"", new byte[] {(byte) 0xc3}, "\" -- '", new byte[] {(byte) 0xfe}))
                .isEqualTo("SELECT X'c3' -- '\ufffd");
    }

    @Test
    void quotesInsideIdentifiersAndCommentsDoNotStartLiterals() {
        assertThat(decode("SELECT `it's` /* don't */, '", new byte[] {(byte) 0x80}, "'"))
                .isEqualTo("SELECT `it's` /* don't */, X'80'");
        assertThat(decode("/*!40101 SELECT '", new byte[] {(byte) 0x81}, "' */"))
                .isEqualTo("/*!40101 SELECT X'81' */");
    }
}
