package io.replicator.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits configuration text into tokens: words, double-quoted strings, braces and semicolons; {@code #} starts a
 * comment that runs to the end of the line. Lexical errors are collected, not thrown, so that one run reports all.
 */
final class ConfigLexer {
    private final String file;
    private final String text;
    private final List<ConfigError> errors;
    private int position;
    private int line = 1;
    private int column = 1;

    ConfigLexer(String file, String text, List<ConfigError> errors) {
        this.file = file;
        this.text = text;
        this.errors = errors;
    }

    List<Token> tokens() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipBlanksAndComments();
            Location at = new Location(file, line, column);
            if (position >= text.length()) {
                tokens.add(new Token(Token.Kind.END, "", at));
                return tokens;
            }
            char c = text.charAt(position);
            switch (c) {
                case '{' -> tokens.add(single(Token.Kind.OPEN, at));
                case '}' -> tokens.add(single(Token.Kind.CLOSE, at));
                case ';' -> tokens.add(single(Token.Kind.SEMICOLON, at));
                case '"' -> tokens.add(string(at));
                default -> tokens.add(word(at));
            }
        }
    }

    private Token single(Token.Kind kind, Location at) {
        advance();
        return new Token(kind, "", at);
    }

    private Token string(Location at) {
        advance();
        StringBuilder value = new StringBuilder();
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '"') {
                advance();
                return new Token(Token.Kind.STRING, value.toString(), at);
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\' && position + 1 < text.length()) {
                advance();
                c = text.charAt(position);
            }
            value.append(c);
            advance();
        }
        errors.add(new ConfigError(at, "unterminated string: a closing '\"' is missing on this line"));
        return new Token(Token.Kind.STRING, value.toString(), at);
    }

    private Token word(Location at) {
        int start = position;
        while (position < text.length()) {
            char c = text.charAt(position);
            if (Character.isWhitespace(c) || c == '{' || c == '}' || c == ';' || c == '"' || c == '#') {
                break;
            }
            if (Character.isISOControl(c)) {
                errors.add(new ConfigError(new Location(file, line, column),
                    String.format("control character U+%04X is not allowed here", (int) c)));
            }
            advance();
        }
        return new Token(Token.Kind.WORD, text.substring(start, position), at);
    }

    private void skipBlanksAndComments() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '#') {
                while (position < text.length() && text.charAt(position) != '\n') {
                    advance();
                }
            } else if (Character.isWhitespace(c)) {
                advance();
            } else {
                return;
            }
        }
    }

    private void advance() {
        if (text.charAt(position) == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        position++;
    }
}
