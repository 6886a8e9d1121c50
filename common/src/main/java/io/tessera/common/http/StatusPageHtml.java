package io.tessera.common.http;

/** Renders a {@link StatusPage} as a plain HTML page; every value is escaped. */
final class StatusPageHtml {
    private StatusPageHtml() {}

    static String render(StatusPage page) {
        StringBuilder out = new StringBuilder(4096);
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(page.title()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}th{background:#eee}"
                        + "dt{font-weight:bold;float:left;clear:left;width:16em}dd{margin-left:17em}</style>"
                        + "</head><body>\n<h1>")
                .append(escape(page.title())).append("</h1>\n");
        for (StatusPage.Section section : page.sections()) {
            out.append("<h2>").append(escape(section.heading())).append("</h2>\n");
            switch (section) {
                case StatusPage.Facts facts -> {
                    out.append("<dl>\n");
                    for (StatusPage.Fact f : facts.facts()) {
                        out.append("<dt>").append(escape(f.key())).append("</dt><dd>").append(escape(f.value()))
                                .append("</dd>\n");
                    }
                    out.append("</dl>\n");
                }
                case StatusPage.Table table -> {
                    out.append("<table>\n<tr>");
                    for (String c : table.columns()) {
                        out.append("<th>").append(escape(c)).append("</th>");
                    }
                    out.append("</tr>\n");
                    for (var row : table.rows()) {
                        out.append("<tr>");
                        for (String cell : row) {
                            out.append("<td>").append(escape(cell)).append("</td>");
                        }
                        out.append("</tr>\n");
                    }
                    out.append("</table>\n");
                }
            }
        }
        return out.append("</body></html>\n").toString();
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
