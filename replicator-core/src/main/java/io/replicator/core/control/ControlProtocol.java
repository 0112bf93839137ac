package io.replicator.core.control;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The local control protocol between the {@code replicator} CLI and its node daemon, over a Unix domain socket.
 *
 * <pre>
 * client → daemon:  one request line: the arguments, each URL-encoded (UTF-8), separated by single spaces, '\n'
 * daemon → client:  any number of lines "1 TEXT" (standard output) and "2 TEXT" (standard error), in order,
 *                   then one line "x STATUS" with the exit status, and the daemon closes the connection.
 * </pre>
 *
 * <p>A request line longer than {@link #MAX_REQUEST_BYTES} or with a malformed encoding is answered with an error and
 * exit status 1. Output text never contains '\n' (a multi-line message is several lines). A streaming command
 * (events) sends output lines until the client closes the connection.
 */
public final class ControlProtocol {
    /** Longest request line accepted. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Prefix of a standard-output line. */
    public static final String OUT = "1 ";
    /** Prefix of a standard-error line. */
    public static final String ERR = "2 ";
    /** Prefix of the final exit-status line. */
    public static final String EXIT = "x ";

    private ControlProtocol() {
    }

    /** Encodes {@code argv} as one request line, without the newline. */
    public static String encode(List<String> argv) {
        List<String> words = new ArrayList<>(argv.size());
        for (String arg : argv) {
            words.add(URLEncoder.encode(arg, StandardCharsets.UTF_8));
        }
        return String.join(" ", words);
    }

    /**
     * Decodes a request line into arguments.
     *
     * @throws IllegalArgumentException when the line is empty or an argument is not valid URL encoding
     */
    public static List<String> decode(String line) {
        if (line.isBlank()) {
            throw new IllegalArgumentException("empty request");
        }
        List<String> argv = new ArrayList<>();
        for (String word : line.split(" ", -1)) {
            argv.add(URLDecoder.decode(word, StandardCharsets.UTF_8));
        }
        return argv;
    }
}
