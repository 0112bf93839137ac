package io.replicator.core.config;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the keyword a misspelt word was probably meant to be: the candidate with the smallest edit distance, if that
 * distance is at most 2, or at most half the word's length when both share a prefix of 3 or more characters
 * ({@code cran-nsd-alg} → {@code cram-hmac-alg}), or when one is a prefix of the other.
 */
final class Spelling {
    private static final int CLOSE = 2;
    private static final int SHARED_PREFIX = 3;

    private Spelling() {
    }

    /** The closest of {@code candidates} to {@code word}, if any is close enough; ties go to the first listed. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(word, candidate);
            if (distance < bestDistance && close(word, candidate, distance)) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean close(String word, String candidate, int distance) {
        if (distance <= CLOSE) {
            return true;
        }
        if (word.length() >= SHARED_PREFIX && candidate.length() >= SHARED_PREFIX
            && (candidate.startsWith(word) || word.startsWith(candidate))) {
            return true;
        }
        int prefix = 0;
        while (prefix < Math.min(word.length(), candidate.length()) && word.charAt(prefix) == candidate.charAt(prefix)) {
            prefix++;
        }
        return prefix >= SHARED_PREFIX && distance * 2 <= word.length();
    }

    /** Levenshtein distance, bounded in cost by the two (short) keyword lengths. */
    static int distance(String a, String b) {
        if (a.length() > 64 || b.length() > 64) {
            return Integer.MAX_VALUE / 2;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
