package io.tessera.gate.sql;

import java.util.Locale;

/**
 * A system variable as a statement names it: {@code @@name}, {@code @@session.name}, {@code @@local.name} or
 * {@code @@global.name}.
 *
 * @param global whether it names the global value
 * @param explicitScope whether the scope was written out
 * @param name the variable name in lower case, without scope or quotes
 */
public record SystemVariableRef(boolean global, boolean explicitScope, String name) {
    /** The variable a {@link TokenType#SYSTEM_VARIABLE} token names. */
    public static SystemVariableRef of(Token token) {
        if (token.type() != TokenType.SYSTEM_VARIABLE) {
            throw new IllegalArgumentException("not a system variable: " + token.text());
        }
        String rest = token.text().substring(2);
        String lower = rest.toLowerCase(Locale.ROOT);
        for (String scope : new String[] {"session.", "local.", "global."}) {
            if (lower.startsWith(scope)) {
                return new SystemVariableRef(scope.equals("global."), true,
                        unquote(rest.substring(scope.length())).toLowerCase(Locale.ROOT));
            }
        }
        return new SystemVariableRef(false, false, unquote(rest).toLowerCase(Locale.ROOT));
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && name.charAt(0) == '`' && name.charAt(name.length() - 1) == '`') {
            return name.substring(1, name.length() - 1).replace("``", "`");
        }
        return name;
    }
}
