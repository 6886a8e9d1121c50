package io.tessera.it.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell script into its simple commands and their words, enough to find the Tessera command lines in the
 * scripts of the deployment files. Quotes and backslashes are resolved as the shell does; variables, command
 * substitutions and arithmetic are not expanded, so a word such as {@code $uid} or {@code zone1-$uid} keeps its
 * dollar sign and callers can tell a value known only at run time.
 *
 * <p>A command ends at a newline, {@code ;}, {@code |}, {@code &}, {@code (} or {@code )}, so {@code until a; do b;
 * done} gives {@code [until, a]}, {@code [do, b]} and {@code [done]}; a command substitution {@code $(...)} outside
 * double quotes is a command of its own. Comments are dropped. Here-documents are not recognised: their lines come
 * out as commands of their own, which is harmless for finding command lines; nor is a command substitution inside
 * double quotes, which the deployment scripts do not use for Tessera commands.
 */
final class ShellWords {
    private ShellWords() {}

    /** The script's simple commands, each a non-empty list of words. */
    static List<List<String>> commands(String script) {
        Splitter s = new Splitter();
        int n = script.length();
        for (int i = 0; i < n; i++) {
            char c = script.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n && script.charAt(i + 1) == '\n') {
                        i++;
                        s.endWord();
                    } else if (i + 1 < n) {
                        s.append(script.charAt(++i));
                    }
                }
                case '\'' -> {
                    int end = script.indexOf('\'', i + 1);
                    end = end < 0 ? n : end;
                    s.append(script.substring(i + 1, end));
                    i = end;
                }
                case '"' -> i = doubleQuoted(script, i + 1, s);
                case '#' -> {
                    if (s.inWord()) {
                        s.append(c);
                    } else {
                        while (i + 1 < n && script.charAt(i + 1) != '\n') {
                            i++;
                        }
                    }
                }
                case ' ', '\t', '\r' -> s.endWord();
                case '&' -> {
                    if (s.endsWith('>') || s.endsWith('<')) {
                        s.append(c); // a redirection such as 2>&1
                    } else {
                        s.endCommand();
                    }
                }
                case '\n', ';', '|', '(', ')' -> s.endCommand();
                case '$' -> {
                    if (i + 1 < n && script.charAt(i + 1) == '(') {
                        // A command substitution (or arithmetic): what follows is a command of its own.
                        s.endCommand();
                    } else {
                        s.append(c);
                    }
                }
                default -> s.append(c);
            }
        }
        s.endCommand();
        return s.commands;
    }

    /** Reads a double-quoted string starting after its opening quote; returns the index of its closing quote. */
    private static int doubleQuoted(String script, int start, Splitter s) {
        int n = script.length();
        s.append("");
        int i = start;
        for (; i < n && script.charAt(i) != '"'; i++) {
            char c = script.charAt(i);
            if (c == '\\' && i + 1 < n && "$`\"\\\n".indexOf(script.charAt(i + 1)) >= 0) {
                char next = script.charAt(++i);
                if (next != '\n') {
                    s.append(next);
                }
            } else {
                s.append(c);
            }
        }
        return i;
    }

    private static final class Splitter {
        final List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word;

        boolean inWord() {
            return word != null;
        }

        boolean endsWith(char c) {
            return word != null && !word.isEmpty() && word.charAt(word.length() - 1) == c;
        }

        void append(char c) {
            append(String.valueOf(c));
        }

        /** Appends to the current word, starting one if needed (so {@code ""} is an empty word). */
        void append(String text) {
            if (word == null) {
                word = new StringBuilder();
            }
            word.append(text);
        }

        void endWord() {
            if (word != null) {
                words.add(word.toString());
                word = null;
            }
        }

        void endCommand() {
            endWord();
            if (!words.isEmpty()) {
                commands.add(List.copyOf(words));
                words = new ArrayList<>();
            }
        }
    }
}
