package io.tessera.tablet.mysqlctl;

import java.util.Objects;

/**
 * A MySQL account name and the password the tablet uses for it.
 *
 * @param user the account name; not blank, at most 80 characters (MariaDB's limit)
 * @param password the password; may be empty, never null
 */
public record DbUser(String user, String password) {
    /** The longest user name MariaDB accepts. */
    public static final int MAX_USER_LENGTH = 80;

    public DbUser {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password (use \"\" for none)");
        if (user.isBlank()) {
            throw new IllegalArgumentException("a MySQL user name must not be blank");
        }
        if (user.length() > MAX_USER_LENGTH) {
            throw new IllegalArgumentException(
                    "MySQL user name '" + user + "' is longer than " + MAX_USER_LENGTH + " characters");
        }
        if (user.indexOf('\0') >= 0 || password.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("MySQL user names and passwords must not contain NUL characters");
        }
    }

    /** The same user with another password. */
    public DbUser withPassword(String newPassword) {
        return new DbUser(user, newPassword);
    }

    /** Never prints the password, so configs can be logged. */
    @Override
    public String toString() {
        return "DbUser[user=" + user + ", password=" + (password.isEmpty() ? "<empty>" : "****") + "]";
    }
}
