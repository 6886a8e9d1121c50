package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.Value;
import java.util.Map;

/**
 * Fills the {@code :name} placeholders of a statement with bind-variable values, written as SQL literals (see
 * {@link SqlLiterals}), as Vitess does: the statement then goes to MySQL as plain text, with no extra round trip for
 * a server-side prepare. A TUPLE value becomes a parenthesised list, for {@code IN ::ids} (or {@code IN :ids}).
 * Placeholders inside string literals, quoted identifiers and comments are left alone.
 */
public final class BindVariables {
    private BindVariables() {}

    /**
     * {@code sql} with its placeholders replaced. A statement sent without bind variables is returned unchanged
     * (a colon in it is then MySQL's business).
     *
     * @throws TesseraException BAD_REQUEST if a placeholder has no value, or a value does not fit its type
     */
    public static String substitute(String sql, Map<String, BindVariable> variables) {
        if (variables.isEmpty()) {
            return sql;
        }
        SqlLexer lexer = new SqlLexer(sql);
        StringBuilder out = null;
        int copied = 0;
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (t != SqlLexer.Type.BIND_VARIABLE) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(sql.length() + 16 * variables.size());
            }
            out.append(sql, copied, lexer.start());
            String name = lexer.bindVariableName();
            BindVariable value = variables.get(name);
            if (value == null) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST, "missing bind variable :" + name + " in query: "
                        + abbreviate(sql));
            }
            if (lexer.isListBindVariable() && value.getType() != Type.TUPLE) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST, "bind variable ::" + name
                        + " is used as a list but its type is " + value.getType() + ", not TUPLE");
            }
            appendValue(out, name, value);
            copied = lexer.end();
        }
        if (out == null) {
            return sql;
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    private static void appendValue(StringBuilder out, String name, BindVariable value) {
        if (value.getType() != Type.TUPLE) {
            SqlLiterals.append(out, name, value.getType(), value.getValue());
            return;
        }
        if (value.getValuesCount() == 0) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "bind variable :" + name
                    + " is an empty TUPLE; an IN list needs at least one value");
        }
        out.append('(');
        for (int i = 0; i < value.getValuesCount(); i++) {
            Value element = value.getValues(i);
            if (element.getType() == Type.TUPLE) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST, "bind variable :" + name
                        + " nests a TUPLE in a TUPLE");
            }
            if (i > 0) {
                out.append(", ");
            }
            SqlLiterals.append(out, name + "[" + i + "]", element.getType(), element.getValue());
        }
        out.append(')');
    }

    static String abbreviate(String sql) {
        return sql.length() > 200 ? sql.substring(0, 200) + "..." : sql;
    }
}
