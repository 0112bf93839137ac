package io.replicator.core.config;

/** A lexical token of the configuration language. */
record Token(Kind kind, String text, Location location) {
    /** Token kinds. */
    enum Kind {
        /** A bare word: keyword, name, number, address. */
        WORD,
        /** A double-quoted string, without its quotes and with escapes resolved. */
        STRING,
        /** {@code {}. */
        OPEN,
        /** {@code }}. */
        CLOSE,
        /** {@code ;}. */
        SEMICOLON,
        /** End of input. */
        END
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case WORD -> "'" + text + "'";
            case STRING -> "\"" + text + "\"";
            case OPEN -> "'{'";
            case CLOSE -> "'}'";
            case SEMICOLON -> "';'";
            case END -> "end of file";
        };
    }
}
