package io.tessera.tablet.mysqlctl;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The tablet's credential flags as given, before the credentials file is applied. Each field corresponds to a
 * Vitess flag: {@code --db_dba_user}, {@code --db_dba_password}, {@code --db_app_user}, {@code --db_app_password},
 * {@code --db_repl_user}, {@code --db_repl_password} and {@code --db-credentials-file}.
 *
 * <p>{@link #resolve()} follows Vitess: when a credentials file is given and lists a role's user, its first
 * password replaces the flag's password; a user missing from the file keeps the flag's password.
 */
public record DbCredentialsConfig(String dbaUser, String dbaPassword, String appUser, String appPassword,
        String replUser, String replPassword, Optional<Path> credentialsFile) {

    public DbCredentialsConfig {
        Objects.requireNonNull(dbaUser, "dbaUser");
        Objects.requireNonNull(dbaPassword, "dbaPassword");
        Objects.requireNonNull(appUser, "appUser");
        Objects.requireNonNull(appPassword, "appPassword");
        Objects.requireNonNull(replUser, "replUser");
        Objects.requireNonNull(replPassword, "replPassword");
        Objects.requireNonNull(credentialsFile, "credentialsFile");
    }

    /** The flag defaults: Vitess's user names, empty passwords, no credentials file. */
    public static DbCredentialsConfig defaults() {
        return new DbCredentialsConfig(DbCredentials.DEFAULT_DBA_USER, "", DbCredentials.DEFAULT_APP_USER, "",
                DbCredentials.DEFAULT_REPL_USER, "", Optional.empty());
    }

    /**
     * The credentials to use: the flags, with passwords from the credentials file where it lists the user.
     *
     * @throws IllegalArgumentException if a user name is invalid or the credentials file cannot be used
     */
    public DbCredentials resolve() {
        DbUser dba = new DbUser(dbaUser, dbaPassword);
        DbUser app = new DbUser(appUser, appPassword);
        DbUser repl = new DbUser(replUser, replPassword);
        if (credentialsFile.isEmpty()) {
            return new DbCredentials(dba, app, repl);
        }
        CredentialsFile file = CredentialsFile.read(credentialsFile.get());
        return new DbCredentials(fromFile(file, dba), fromFile(file, app), fromFile(file, repl));
    }

    private static DbUser fromFile(CredentialsFile file, DbUser user) {
        return file.passwordFor(user.user()).map(user::withPassword).orElse(user);
    }

    /** Never prints passwords. */
    @Override
    public String toString() {
        return "DbCredentialsConfig[dbaUser=" + dbaUser + ", appUser=" + appUser + ", replUser=" + replUser
                + ", credentialsFile=" + credentialsFile.map(Path::toString).orElse("<none>") + "]";
    }
}
