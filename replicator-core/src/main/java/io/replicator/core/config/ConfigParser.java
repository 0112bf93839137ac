package io.replicator.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses configuration files into {@link ConfigNode} trees, following drbd.conf's rules: {@code include "glob";}
 * only at top level (relative patterns are resolved against the including file's folder; a pattern that matches
 * nothing is ignored, a missing literal file is an error, a file already read is not read again), and a
 * {@code skip} prefix drops the statement that follows, subsections included.
 *
 * <p>Errors are collected with their location and parsing resumes after the broken statement, so one run reports
 * every syntax error it can.
 */
public final class ConfigParser {
    /** Deeper nesting than any valid configuration has (resource, connection, volume, disk = 4) is refused. */
    private static final int MAX_DEPTH = 16;

    private final List<ConfigError> errors = new ArrayList<>();
    private final Set<Path> seen = new HashSet<>();
    private int depth;

    private ConfigParser() {
    }

    /** Parses {@code file} and its includes. */
    public static List<ConfigNode> parse(Path file) throws ConfigException {
        ConfigParser parser = new ConfigParser();
        List<ConfigNode> nodes = new ArrayList<>();
        parser.parseFile(file, nodes, new Location(file.toString(), 0, 0), false);
        if (!parser.errors.isEmpty()) {
            throw new ConfigException(parser.errors);
        }
        return nodes;
    }

    /** Parses {@code file} and its includes as far as possible, adding syntax errors to {@code errors}. */
    static List<ConfigNode> parse(Path file, List<ConfigError> errors) {
        ConfigParser parser = new ConfigParser();
        List<ConfigNode> nodes = new ArrayList<>();
        parser.parseFile(file, nodes, new Location(file.toString(), 0, 0), false);
        errors.addAll(parser.errors);
        return nodes;
    }

    /** Parses {@code text} as far as possible, adding syntax errors to {@code errors}. */
    static List<ConfigNode> parse(String name, String text, List<ConfigError> errors) {
        ConfigParser parser = new ConfigParser();
        List<ConfigNode> nodes = new ArrayList<>();
        parser.parseText(name, text, Path.of("."), nodes);
        errors.addAll(parser.errors);
        return nodes;
    }

    /** Parses {@code text} as if read from a file named {@code name}; includes resolve against the working folder. */
    public static List<ConfigNode> parse(String name, String text) throws ConfigException {
        ConfigParser parser = new ConfigParser();
        List<ConfigNode> nodes = new ArrayList<>();
        parser.parseText(name, text, Path.of("."), nodes);
        if (!parser.errors.isEmpty()) {
            throw new ConfigException(parser.errors);
        }
        return nodes;
    }

    private void parseFile(Path file, List<ConfigNode> into, Location includedFrom, boolean optional) {
        Path normalized = file.toAbsolutePath().normalize();
        if (!seen.add(normalized)) {
            return;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException missing) {
            if (!optional) {
                errors.add(new ConfigError(includedFrom, "cannot read " + file + ": no such file"));
            }
            return;
        } catch (IOException | RuntimeException unreadable) {
            errors.add(new ConfigError(includedFrom, "cannot read " + file + ": " + unreadable.getMessage()));
            return;
        }
        Path folder = normalized.getParent() == null ? Path.of(".") : normalized.getParent();
        parseText(file.toString(), text, folder, into);
    }

    private void parseText(String name, String text, Path folder, List<ConfigNode> into) {
        List<Token> tokens = new ConfigLexer(name, text, errors).tokens();
        Cursor cursor = new Cursor(tokens);
        while (cursor.peek().kind() != Token.Kind.END) {
            if (cursor.peek().kind() == Token.Kind.CLOSE) {
                errors.add(new ConfigError(cursor.peek().location(), "unexpected '}' with no section open"));
                cursor.next();
                continue;
            }
            ConfigNode node = statement(cursor);
            if (node == null) {
                continue;
            }
            if (node instanceof ConfigNode.Parameter include && include.keyword().equals("include")) {
                include(include, folder, into);
            } else {
                into.add(node);
            }
        }
    }

    private void include(ConfigNode.Parameter include, Path folder, List<ConfigNode> into) {
        if (include.values().size() != 1) {
            errors.add(new ConfigError(include.location(), "include takes exactly one file name or pattern"));
            return;
        }
        String pattern = include.values().get(0);
        Path resolved = folder.resolve(pattern);
        boolean glob = pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
        if (!glob) {
            parseFile(resolved, into, include.location(), false);
            return;
        }
        Path directory = resolved.getParent() == null ? folder : resolved.getParent();
        String namePattern = resolved.getFileName().toString();
        if (directory.toString().chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
            errors.add(new ConfigError(include.location(), "include: wildcards are allowed in the file name only"));
            return;
        }
        TreeSet<Path> matches = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, namePattern)) {
            stream.forEach(matches::add);
        } catch (NoSuchFileException noFolder) {
            return;
        } catch (IOException | RuntimeException unreadable) {
            errors.add(new ConfigError(include.location(), "include \"" + pattern + "\": " + unreadable.getMessage()));
            return;
        }
        for (Path match : matches) {
            parseFile(match, into, include.location(), true);
        }
    }

    /** Parses one statement; returns null when it was skipped or broken (the error is recorded). */
    private ConfigNode statement(Cursor cursor) {
        Token first = cursor.next();
        boolean skipped = first.kind() == Token.Kind.WORD && first.text().equals("skip");
        Token keyword = skipped ? cursor.next() : first;
        if (skipped && keyword.kind() == Token.Kind.OPEN) {
            sectionBody(cursor, keyword);
            return null;
        }
        if (keyword.kind() != Token.Kind.WORD) {
            errors.add(new ConfigError(keyword.location(), "a keyword was expected, but got " + keyword.describe()));
            if (keyword.kind() == Token.Kind.OPEN) {
                sectionBody(cursor, keyword);
            } else if (keyword.kind() == Token.Kind.STRING) {
                recover(cursor);
            }
            return null;
        }
        List<String> words = new ArrayList<>();
        while (true) {
            Token token = cursor.peek();
            switch (token.kind()) {
                case WORD, STRING -> words.add(cursor.next().text());
                case SEMICOLON -> {
                    cursor.next();
                    return skipped ? null : new ConfigNode.Parameter(keyword.text(), words, keyword.location());
                }
                case OPEN -> {
                    Token open = cursor.next();
                    List<ConfigNode> body = sectionBody(cursor, open);
                    return skipped ? null : new ConfigNode.Section(keyword.text(), words, body, keyword.location());
                }
                case CLOSE, END -> {
                    errors.add(new ConfigError(token.location(), "';' expected after '" + keyword.text()
                        + (words.isEmpty() ? "" : " " + String.join(" ", words)) + "', but got " + token.describe()));
                    return null;
                }
                default -> throw new IllegalStateException("unknown token kind " + token.kind());
            }
        }
    }

    private List<ConfigNode> sectionBody(Cursor cursor, Token open) {
        if (depth >= MAX_DEPTH) {
            errors.add(new ConfigError(open.location(), "sections nested more than " + MAX_DEPTH + " deep"));
            skipBalanced(cursor);
            return List.of();
        }
        depth++;
        try {
            return sectionStatements(cursor, open);
        } finally {
            depth--;
        }
    }

    /** Skips to just after the '}' that closes an already opened section, without recursion. */
    private static void skipBalanced(Cursor cursor) {
        int open = 1;
        while (open > 0 && cursor.peek().kind() != Token.Kind.END) {
            Token token = cursor.next();
            if (token.kind() == Token.Kind.OPEN) {
                open++;
            } else if (token.kind() == Token.Kind.CLOSE) {
                open--;
            }
        }
    }

    private List<ConfigNode> sectionStatements(Cursor cursor, Token open) {
        List<ConfigNode> body = new ArrayList<>();
        while (true) {
            Token token = cursor.peek();
            if (token.kind() == Token.Kind.CLOSE) {
                cursor.next();
                return body;
            }
            if (token.kind() == Token.Kind.END) {
                errors.add(new ConfigError(open.location(), "section opened here is never closed: '}' missing"));
                return body;
            }
            ConfigNode node = statement(cursor);
            if (node instanceof ConfigNode.Parameter include && include.keyword().equals("include")) {
                errors.add(new ConfigError(include.location(), "include is allowed only at top level"));
            } else if (node != null) {
                body.add(node);
            }
        }
    }

    /** Skips to just after the next ';' or past the next balanced section, whichever comes first. */
    private static void recover(Cursor cursor) {
        int depth = 0;
        while (cursor.peek().kind() != Token.Kind.END) {
            Token token = cursor.next();
            if (token.kind() == Token.Kind.OPEN) {
                depth++;
            } else if (token.kind() == Token.Kind.CLOSE) {
                if (--depth <= 0) {
                    return;
                }
            } else if (token.kind() == Token.Kind.SEMICOLON && depth == 0) {
                return;
            }
        }
    }

    /** A read position in a token list. */
    private static final class Cursor {
        private final List<Token> tokens;
        private int index;

        Cursor(List<Token> tokens) {
            this.tokens = tokens;
        }

        Token peek() {
            return tokens.get(index);
        }

        Token next() {
            Token token = tokens.get(index);
            if (token.kind() != Token.Kind.END) {
                index++;
            }
            return token;
        }
    }
}
