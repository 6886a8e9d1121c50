package io.tessera.gate.mysql;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a COM_QUERY or COM_STMT_PREPARE into statement text without losing binary data.
 *
 * <p>Clients that prepare statements on their side (MariaDB Connector/J, libmysqlclient's escaping) put binary
 * values into the statement as quoted literals holding raw bytes, which are not UTF-8. Statement text travels to
 * tablets as Unicode, so decoding those bytes as UTF-8 would turn every invalid byte into U+FFFD and corrupt the
 * value. Instead, each quoted literal whose content is not valid UTF-8 is rewritten as a hexadecimal literal
 * ({@code X'00ff'}) of the same bytes, which MySQL treats as the same binary string. The scan works on bytes:
 * quotes, backslashes and comment markers are ASCII, and UTF-8 multi-byte sequences never contain ASCII bytes.
 */
final class QueryText {
    private QueryText() {}

    static String decode(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return rewriteBinaryLiterals(bytes, offset, offset + length);
        }
    }

    private static String rewriteBinaryLiterals(byte[] b, int from, int to) {
        StringBuilder out = new StringBuilder(to - from + 16);
        int plainStart = from;
        int i = from;
        while (i < to) {
            byte c = b[i];
            if (c == '\'' || c == '"') {
                int end = literalEnd(b, i, to);
                if (!validUtf8(b, i + 1, end - 1)) {
                    out.append(utf8(b, plainStart, i));
                    if (!out.isEmpty() && (Character.isLetterOrDigit(out.charAt(out.length() - 1))
                            || out.charAt(out.length() - 1) == '_')) {
                        out.append(' '); // _binary'..' becomes _binary X'..', not the identifier _binaryX
                    }
                    appendHex(out, unescape(b, i + 1, end - 1, c));
                    plainStart = end;
                }
                i = end;
            } else if (c == '`') {
                i = quotedIdentifierEnd(b, i, to);
            } else if (c == '#' || (c == '-' && i + 2 < to && b[i + 1] == '-' && isSpace(b[i + 2]))) {
                while (i < to && b[i] != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < to && b[i + 1] == '*' && !(i + 2 < to && b[i + 2] == '!')) {
                // A plain comment; executable comments (/*! ... */) hold SQL and are scanned like the rest.
                i += 2;
                while (i + 1 < to && !(b[i] == '*' && b[i + 1] == '/')) {
                    i++;
                }
                i = Math.min(i + 2, to);
            } else {
                i++;
            }
        }
        out.append(utf8(b, plainStart, to));
        return out.toString();
    }

    /** The index just past the literal that starts with the quote at {@code start}. */
    private static int literalEnd(byte[] b, int start, int to) {
        byte quote = b[start];
        int i = start + 1;
        while (i < to) {
            if (b[i] == '\\') {
                i += 2;
            } else if (b[i] == quote) {
                if (i + 1 < to && b[i + 1] == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return to;
    }

    private static int quotedIdentifierEnd(byte[] b, int start, int to) {
        int i = start + 1;
        while (i < to) {
            if (b[i] == '`') {
                if (i + 1 < to && b[i + 1] == '`') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return to;
    }

    /** The bytes a literal's content stands for, with MySQL's backslash escapes and doubled quotes resolved. */
    private static byte[] unescape(byte[] b, int from, int to, byte quote) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.max(0, to - from));
        int i = from;
        while (i < to) {
            byte c = b[i];
            if (c == '\\' && i + 1 < to) {
                byte n = b[i + 1];
                switch (n) {
                    case '0' -> out.write(0);
                    case 'b' -> out.write('\b');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'Z' -> out.write(26);
                    // \% and \_ keep their backslash (they matter to LIKE).
                    case '%', '_' -> {
                        out.write('\\');
                        out.write(n);
                    }
                    default -> out.write(n);
                }
                i += 2;
            } else if (c == quote && i + 1 < to && b[i + 1] == quote) {
                out.write(quote);
                i += 2;
            } else {
                out.write(c);
                i++;
            }
        }
        return out.toByteArray();
    }

    private static void appendHex(StringBuilder out, byte[] value) {
        if (value.length == 0) {
            out.append("''");
            return;
        }
        out.append("X'");
        for (byte v : value) {
            out.append(Character.forDigit((v >> 4) & 0xf, 16)).append(Character.forDigit(v & 0xf, 16));
        }
        out.append('\'');
    }

    private static boolean validUtf8(byte[] b, int from, int to) {
        if (to <= from) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String utf8(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
