package io.tessera.tablet.mysqlclient;

import java.util.Objects;

/**
 * A value bound to one {@code ?} of a server-side prepared statement (see {@link NativeConnection#execute}). Only
 * the kinds whose meaning in a statement is exactly that of the literal the text protocol would carry: NULL, a whole
 * number (MySQL's integer literal), and a string in the session's character set (a quoted literal).
 */
public sealed interface Parameter {
    /** SQL NULL. */
    record Null() implements Parameter {}

    /**
     * A whole number.
     *
     * @param value the value, or its bits when {@code unsigned}
     * @param unsigned whether {@code value} is read as an unsigned 64-bit number
     */
    record Int(long value, boolean unsigned) implements Parameter {}

    /**
     * A character string.
     *
     * @param utf8 its bytes, valid UTF-8 (the session's character set is utf8mb4)
     */
    record Text(byte[] utf8) implements Parameter {
        public Text {
            Objects.requireNonNull(utf8, "utf8");
        }
    }

    /** The one NULL. */
    Parameter NULL = new Null();
}
