package io.tessera.tablet.mysqlctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The contents of a {@code --db-credentials-file}: Vitess's JSON format, an object mapping each user name to a
 * list of passwords, for example {@code {"vt_app": ["secret"], "vt_dba": ["other", "older"]}}. As in Vitess the
 * first password of a user is the one used to connect; the others exist so a password can be rotated.
 *
 * @param passwords user name to its passwords, in file order; every list is non-empty
 */
public record CredentialsFile(Map<String, List<String>> passwords) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public CredentialsFile {
        Objects.requireNonNull(passwords, "passwords");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        passwords.forEach((user, list) -> {
            if (list.isEmpty()) {
                throw new IllegalArgumentException("user '" + user + "' has no password in the credentials file");
            }
            copy.put(user, List.copyOf(list));
        });
        passwords = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads and validates a credentials file.
     *
     * @throws IllegalArgumentException if the file is missing, unreadable or not in the expected shape; the
     *     message names the file and the problem
     */
    public static CredentialsFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--db-credentials-file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --db-credentials-file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--db-credentials-file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses credentials from JSON text.
     *
     * @throws IllegalArgumentException if the text is not a JSON object of string arrays
     */
    public static CredentialsFile parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "expected a JSON object like {\"vt_app\": [\"password\"]}, found " + describe(root));
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (!value.isArray() || value.isEmpty()) {
                throw new IllegalArgumentException("user '" + entry.getKey()
                        + "' must map to a non-empty list of passwords, found " + describe(value));
            }
            List<String> list = new ArrayList<>();
            for (JsonNode password : value) {
                if (!password.isTextual()) {
                    throw new IllegalArgumentException(
                            "user '" + entry.getKey() + "' has a password that is not a string: " + describe(password));
                }
                list.add(password.asText());
            }
            result.put(entry.getKey(), list);
        }
        return new CredentialsFile(result);
    }

    /** The password to connect with for {@code user}: the first one listed, if the user is in the file. */
    public Optional<String> passwordFor(String user) {
        List<String> list = passwords.get(user);
        return list == null ? Optional.empty() : Optional.of(list.getFirst());
    }

    /** Never prints passwords. */
    @Override
    public String toString() {
        return "CredentialsFile[users=" + passwords.keySet() + "]";
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
