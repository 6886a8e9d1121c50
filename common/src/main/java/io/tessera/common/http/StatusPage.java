package io.tessera.common.http;

import java.util.List;

/**
 * The contents of a daemon's {@code /debug/status} page: a title and sections a person reads top to bottom.
 *
 * @param title the page title, e.g. {@code tessera-tablet zone1-0000000100}
 * @param sections the sections, in order
 */
public record StatusPage(String title, List<Section> sections) {
    public StatusPage {
        sections = List.copyOf(sections);
    }

    /** One section of the page: either key/value facts or a table. */
    public sealed interface Section permits Facts, Table {
        String heading();
    }

    /** Facts shown as "key: value" lines. */
    public record Facts(String heading, List<Fact> facts) implements Section {
        public Facts {
            facts = List.copyOf(facts);
        }
    }

    /** One fact. */
    public record Fact(String key, String value) {}

    /** A table with a header row. */
    public record Table(String heading, List<String> columns, List<List<String>> rows) implements Section {
        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }
}
