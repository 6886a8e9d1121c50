package io.tessera.tablet.schema;

import io.tessera.proto.tabletmanagerdata.GetSchemaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which objects a GetSchema request wants, with Vitess's rules: an entry of {@code tables} or
 * {@code exclude_tables} is either an exact name or a regular expression between slashes ({@code /^user_/}),
 * which matches when it is found anywhere in the name. Without {@code tables} every object is included; then
 * {@code exclude_tables} removes objects, and views are removed unless {@code include_views}.
 *
 * @param include names or /patterns/ to keep; empty keeps everything
 * @param exclude names or /patterns/ to drop
 * @param includeViews whether views are kept
 */
public record TableFilter(List<String> include, List<String> exclude, boolean includeViews) {
    public TableFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        // Compile now, so that a bad pattern is reported before anything is read.
        matchers(include);
        matchers(exclude);
    }

    /** Every table and view. */
    public static TableFilter all() {
        return new TableFilter(List.of(), List.of(), true);
    }

    /**
     * The filter of a TabletManager GetSchema request.
     *
     * @throws IllegalArgumentException if a /pattern/ is not a valid regular expression
     */
    public static TableFilter of(GetSchemaRequest request) {
        return new TableFilter(request.getTablesList(), request.getExcludeTablesList(), request.getIncludeViews());
    }

    /** True when {@code table} passes the filter. */
    public boolean test(TableSchema table) {
        Objects.requireNonNull(table, "table");
        if (!include.isEmpty() && matchers(include).stream().noneMatch(m -> m.test(table.name()))) {
            return false;
        }
        if (matchers(exclude).stream().anyMatch(m -> m.test(table.name()))) {
            return false;
        }
        return includeViews || table.kind() != TableKind.VIEW;
    }

    private static List<Predicate<String>> matchers(List<String> entries) {
        List<Predicate<String>> matchers = new ArrayList<>(entries.size());
        for (String entry : entries) {
            if (entry.length() >= 2 && entry.startsWith("/") && entry.endsWith("/")) {
                String regex = entry.substring(1, entry.length() - 1);
                try {
                    Pattern pattern = Pattern.compile(regex);
                    matchers.add(name -> pattern.matcher(name).find());
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("table pattern " + entry + " is not a valid regular"
                            + " expression: " + e.getDescription(), e);
                }
            } else {
                matchers.add(entry::equals);
            }
        }
        return matchers;
    }
}
