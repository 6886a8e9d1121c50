package io.tessera.it.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reading YAML documents as plain maps and lists, and walking them without casts everywhere. */
final class Yamls {
    private Yamls() {}

    /** Every document of a YAML text (anchors and {@code <<} merge keys resolved; duplicate keys refused). */
    static List<Object> documents(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Object> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(options)).loadAll(text)) {
            if (doc != null) {
                docs.add(doc);
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** The value at a path of keys, or null. */
    static Object at(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            current = map(current).get(key);
        }
        return current;
    }

    static String string(Object node) {
        return node == null ? null : String.valueOf(node);
    }

    /** A list of scalars as strings (a command, an args list). */
    static List<String> strings(Object node) {
        return list(node).stream().map(String::valueOf).toList();
    }
}
