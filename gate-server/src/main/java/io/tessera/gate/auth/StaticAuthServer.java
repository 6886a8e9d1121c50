package io.tessera.gate.auth;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.gate.mysql.AuthenticatedUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and passwords from a static JSON file in the Vitess format: user name to an array of entries
 * {@code {"Password": "...", "MysqlNativePassword": "*HEX40", "UserData": "...", "SourceHost": "...",
 * "Groups": [...]}}. Any matching entry lets the user in, so passwords can be rotated by adding the new one before
 * removing the old. An entry with a {@code SourceHost} matches only that client address ({@code localhost} matches
 * loopback addresses). An entry with an empty {@code Password} and no {@code MysqlNativePassword} needs no password.
 *
 * <p>A file-backed server re-reads the file every reload interval and switches to the new users when the content
 * changed; a file that does not parse is logged and the previous users stay in force. Each reload of changed
 * content is counted in {@code tessera_gate_auth_reloads_total{result="ok"|"error"}}.
 */
public final class StaticAuthServer implements AuthServer {
    private static final Logger log = LoggerFactory.getLogger(StaticAuthServer.class);

    private final AtomicReference<Map<String, List<StaticUserEntry>>> users;
    private final AuthFailures failures;
    private final PrometheusRegistry registry;
    private final Counter reloads;
    private final Path file;
    private final Thread reloader;
    /** The file content last seen by the reloader, valid or not; touched only by the reloader thread. */
    private byte[] lastContent;

    private StaticAuthServer(Map<String, List<StaticUserEntry>> users, byte[] content, Path file,
            Duration reloadInterval, PrometheusRegistry registry) {
        this.users = new AtomicReference<>(users);
        this.failures = new AuthFailures(registry);
        this.registry = registry;
        this.reloads = Counter.builder()
                .name("tessera_gate_auth_reloads_total")
                .help("Reloads of a changed static auth file, by result (ok, or error: the previous users stay)")
                .labelNames("result")
                .register(registry);
        this.file = file;
        this.lastContent = content;
        if (file != null && reloadInterval.isPositive()) {
            this.reloader = Thread.ofVirtual().name("tessera-auth-reload").start(() -> reloadLoop(reloadInterval));
        } else {
            this.reloader = null;
        }
    }

    /**
     * Users from {@code file}, re-read every {@code reloadInterval} ({@link Duration#ZERO} reads it once).
     *
     * @throws IllegalArgumentException if the file cannot be read or is not a valid auth file (the message says why)
     */
    public static StaticAuthServer fromFile(Path file, Duration reloadInterval, PrometheusRegistry registry) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        Objects.requireNonNull(registry, "registry");
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("reloadInterval must not be negative");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the auth file " + file + ": " + e, e);
        }
        Map<String, List<StaticUserEntry>> parsed;
        try {
            parsed = StaticAuthFile.parse(new String(content, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auth file " + file + ": " + e.getMessage(), e);
        }
        return new StaticAuthServer(parsed, content, file, reloadInterval, registry);
    }

    /**
     * Users from a JSON string in the auth-file format (Vitess's {@code --mysql_auth_server_static_string}).
     *
     * @throws IllegalArgumentException if {@code json} is not a valid auth file
     */
    public static StaticAuthServer fromJson(String json, PrometheusRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return new StaticAuthServer(StaticAuthFile.parse(json), null, null, Duration.ZERO, registry);
    }

    @Override
    public Verification verify(String user, InetSocketAddress remote, Credential credential) {
        List<StaticUserEntry> all = users.get().get(user);
        if (all == null) {
            if (credential instanceof Credential.Sha2Scramble) {
                // Answer as for a hash-only user, so that the exchange does not tell which users exist.
                return new Verification.Unverifiable();
            }
            throw failures.deny(user, remote, credential.passwordGiven(), AuthFailures.Reason.UNKNOWN_USER);
        }
        InetAddress address = remote == null ? null : remote.getAddress();
        List<StaticUserEntry> entries = new ArrayList<>();
        for (StaticUserEntry e : all) {
            if (e.allows(address)) {
                entries.add(e);
            }
        }
        if (entries.isEmpty()) {
            throw failures.deny(user, remote, credential.passwordGiven(), AuthFailures.Reason.SOURCE_HOST);
        }
        boolean unverifiable = false;
        for (StaticUserEntry e : entries) {
            switch (check(e, credential)) {
                case MATCH -> {
                    return new Verification.Accepted(new AuthenticatedUser(user, e.userData(), e.groups(), remote));
                }
                case CANNOT_CHECK -> unverifiable = true;
                case NO_MATCH -> { }
            }
        }
        if (unverifiable) {
            return new Verification.Unverifiable();
        }
        throw failures.deny(user, remote, credential.passwordGiven(), AuthFailures.Reason.WRONG_PASSWORD);
    }

    private enum Check { MATCH, NO_MATCH, CANNOT_CHECK }

    private static Check check(StaticUserEntry e, Credential credential) {
        if (e.noPassword()) {
            return credential.passwordGiven() ? Check.NO_MATCH : Check.MATCH;
        }
        if (!credential.passwordGiven()) {
            return Check.NO_MATCH;
        }
        boolean match = switch (credential) {
            case Credential.NativeScramble n -> PasswordHashes.nativeScrambleMatches(e.stage2(), n.salt(),
                    n.scramble());
            case Credential.Sha2Scramble s -> {
                if (!e.hasPlaintext()) {
                    yield false;
                }
                yield PasswordHashes.sha2ScrambleMatches(e.passwordBytes(), s.salt(), s.scramble());
            }
            case Credential.Cleartext c -> e.hasPlaintext()
                    ? MessageDigest.isEqual(e.passwordBytes(), c.password())
                    : MessageDigest.isEqual(e.nativeStage2(), PasswordHashes.nativeStage2(c.password()));
        };
        if (match) {
            return Check.MATCH;
        }
        return credential instanceof Credential.Sha2Scramble && !e.hasPlaintext() ? Check.CANNOT_CHECK
                : Check.NO_MATCH;
    }

    /** Stops reloading and removes the failure counter from the registry. */
    @Override
    public void close() {
        if (reloader != null) {
            reloader.interrupt();
            try {
                reloader.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failures.unregister();
        registry.unregister(reloads);
    }

    private void reloadLoop(Duration interval) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            try {
                reloadIfChanged();
            } catch (RuntimeException e) {
                log.error("reloading the auth file {} failed; keeping the previous users", file, e);
            }
        }
    }

    /** Reads the file and, if its content changed and parses, switches to its users. Runs on the reloader. */
    private void reloadIfChanged() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            reloads.labelValues("error").inc();
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (Arrays.equals(content, lastContent)) {
            return;
        }
        lastContent = content;
        try {
            Map<String, List<StaticUserEntry>> parsed = StaticAuthFile.parse(new String(content,
                    StandardCharsets.UTF_8));
            users.set(parsed);
            reloads.labelValues("ok").inc();
            log.info("auth file {} reloaded: {} users", file, parsed.size());
        } catch (IllegalArgumentException e) {
            reloads.labelValues("error").inc();
            log.error("auth file {} changed but is not valid, keeping the previous users: {}", file,
                    e.getMessage());
        }
    }
}
