package io.tessera.gate.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the static auth file: a JSON object mapping each user name to an array of entries
 * {@code {"Password", "MysqlNativePassword", "UserData", "SourceHost", "Groups"}} (a single entry object is accepted
 * as well). Unknown keys are an error rather than ignored: a misspelt {@code "Password"} must not silently turn into
 * a user without a password.
 */
final class StaticAuthFile {
    private static final Set<String> KEYS = Set.of("Password", "MysqlNativePassword", "UserData", "SourceHost",
            "Groups");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private StaticAuthFile() {}

    /**
     * The users of {@code json}.
     *
     * @throws IllegalArgumentException naming the problem (JSON syntax with its location, or the user and key)
     */
    static Map<String, List<StaticUserEntry>> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the auth file must be a JSON object of user name -> entries");
        }
        Map<String, List<StaticUserEntry>> users = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> user : root.properties()) {
            JsonNode value = user.getValue();
            List<JsonNode> entries = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(entries::add);
            } else if (value.isObject()) {
                entries.add(value);
            } else {
                throw new IllegalArgumentException("user '" + user.getKey() + "': expected an array of entries");
            }
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("user '" + user.getKey() + "' has no entries");
            }
            List<StaticUserEntry> parsed = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                parsed.add(entry(user.getKey(), i, entries.get(i)));
            }
            users.put(user.getKey(), List.copyOf(parsed));
        }
        return Map.copyOf(users);
    }

    private static StaticUserEntry entry(String user, int index, JsonNode node) {
        String where = "user '" + user + "' entry " + index;
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object");
        }
        for (String key : (Iterable<String>) node::fieldNames) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: " + KEYS + ")");
            }
        }
        String password = text(node, "Password", where);
        String hash = text(node, "MysqlNativePassword", where);
        byte[] stage2 = null;
        if (!hash.isEmpty()) {
            if (!PasswordHashes.isNativeHashText(hash)) {
                throw new IllegalArgumentException(where + ": MysqlNativePassword must be '*' followed by 40 hex "
                        + "digits (as SELECT PASSWORD('...') shows it)");
            }
            stage2 = PasswordHashes.parseNativeHash(hash);
        }
        String userData = text(node, "UserData", where);
        String sourceHostText = text(node, "SourceHost", where);
        SourceHost sourceHost;
        try {
            sourceHost = sourceHostText.isEmpty() ? null : SourceHost.parse(sourceHostText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        List<String> groups = new ArrayList<>();
        JsonNode groupsNode = node.get("Groups");
        if (groupsNode != null && !groupsNode.isNull()) {
            if (!groupsNode.isArray()) {
                throw new IllegalArgumentException(where + ": Groups must be an array of strings");
            }
            for (JsonNode g : groupsNode) {
                if (!g.isTextual()) {
                    throw new IllegalArgumentException(where + ": Groups must be an array of strings");
                }
                groups.add(g.asText());
            }
        }
        return new StaticUserEntry(password, stage2, userData.isEmpty() ? user : userData, sourceHost, groups);
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": " + key + " must be a string");
        }
        return v.asText();
    }
}
