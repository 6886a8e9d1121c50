package io.tessera.gate.sql;

/** The kinds of token the gate's {@link SqlLexer} tells apart. */
public enum TokenType {
    /** An unquoted word: a keyword or an identifier. */
    WORD,
    /** A backquoted identifier. */
    QUOTED_IDENTIFIER,
    /** A string literal in single or double quotes. */
    STRING,
    /** A number, including hexadecimal and bit forms ({@code 0x1F}, {@code 0b101}) and exponents. */
    NUMBER,
    /** A bind-variable placeholder {@code :name}, or {@code ::name} for a list. */
    BIND_VARIABLE,
    /** A prepared-statement parameter {@code ?}. */
    PARAMETER,
    /** A user variable: {@code @name}, {@code @'name'}, {@code @"name"} or {@code @`name`}. */
    USER_VARIABLE,
    /** A system variable: {@code @@name}, {@code @@session.name}, {@code @@global.name}, {@code @@local.name}. */
    SYSTEM_VARIABLE,
    /** Punctuation or an operator: one character, or one of {@code := <=> <= >= <> != || && -> ->> << >>}. */
    SYMBOL,
    /** Past the last token. */
    END
}
