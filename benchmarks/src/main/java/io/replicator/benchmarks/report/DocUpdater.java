package io.replicator.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the generated parts of a Markdown document: the text between {@code <!-- bench:NAME:begin -->} and
 * {@code <!-- bench:NAME:end -->}, each alone on its line. Everything outside the markers, the hand-written method and
 * analysis, is kept byte for byte. A block that is missing, doubled, or ends before it begins is an error, and then
 * nothing is replaced.
 */
public final class DocUpdater {
    private static final Pattern ANY_BEGIN = Pattern.compile("<!-- bench:([a-z0-9-]+):begin -->");

    private DocUpdater() {
    }

    public static String begin(String name) {
        return "<!-- bench:" + name + ":begin -->";
    }

    public static String end(String name) {
        return "<!-- bench:" + name + ":end -->";
    }

    /** {@code doc} with the block {@code name} holding {@code content} (a trailing newline is added if missing). */
    public static String replace(String doc, String name, String content) {
        String begin = begin(name);
        String end = end(name);
        int b = only(doc, begin, name);
        int e = only(doc, end, name);
        if (e < b) {
            throw new IllegalArgumentException("marker " + end + " comes before " + begin);
        }
        String body = content.isEmpty() || content.endsWith("\n") ? content : content + "\n";
        return doc.substring(0, b + begin.length()) + "\n" + body + doc.substring(e);
    }

    /** Every block of {@code blocks} replaced; all markers are checked before anything is replaced. */
    public static String replaceAll(String doc, Map<String, String> blocks) {
        String result = doc;
        for (Map.Entry<String, String> block : blocks.entrySet()) {
            result = replace(result, block.getKey(), block.getValue());
        }
        return result;
    }

    /** Reads, replaces and writes {@code file}; it is rewritten only when something changed. */
    public static boolean update(Path file, Map<String, String> blocks) throws IOException {
        String doc = Files.readString(file);
        String updated;
        try {
            updated = replaceAll(doc, blocks);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (updated.equals(doc)) {
            return false;
        }
        Files.writeString(file, updated);
        return true;
    }

    /** The names of the blocks that {@code doc} opens. */
    public static Set<String> blocks(String doc) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = ANY_BEGIN.matcher(doc);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The text between the markers of block {@code name}. */
    public static String content(String doc, String name) {
        int b = only(doc, begin(name), name) + begin(name).length();
        int e = only(doc, end(name), name);
        if (e < b) {
            throw new IllegalArgumentException("marker " + end(name) + " comes before " + begin(name));
        }
        String body = doc.substring(b, e);
        return body.startsWith("\n") ? body.substring(1) : body;
    }

    private static int only(String doc, String marker, String name) {
        int at = doc.indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException("no marker " + marker + " for the generated block '" + name
                + "': put " + begin(name) + " and " + end(name) + " on lines of their own where it belongs");
        }
        if (doc.indexOf(marker, at + marker.length()) >= 0) {
            throw new IllegalArgumentException("marker " + marker + " appears more than once");
        }
        if ((at > 0 && doc.charAt(at - 1) != '\n') || (at + marker.length() < doc.length()
            && doc.charAt(at + marker.length()) != '\n')) {
            throw new IllegalArgumentException("marker " + marker + " must be alone on its line");
        }
        return at;
    }
}
