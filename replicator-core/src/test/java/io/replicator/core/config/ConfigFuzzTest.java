package io.replicator.core.config;

import io.replicator.core.testing.SeededTries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random mutations of the corpus never crash the parser and validator and never hang: each input gives either a
 * configuration or a {@link ConfigException} whose every error has a line ≥ 1 or names the file. Bounded by tries, a
 * budget per try and a timeout. Seeded ({@link SeededTries}: the seed is printed, and {@code -Dreplicator.seed=S}
 * repeats a run).
 */
class ConfigFuzzTest {
    private static final List<String> CORPUS = corpus();
    private static final long BUDGET_MS = 2_000;

    private static List<String> corpus() {
        try (Stream<Path> good = Files.list(ConfigCorpusTest.CORPUS.resolve("good"));
             Stream<Path> broken = Files.list(ConfigCorpusTest.CORPUS.resolve("broken"))) {
            List<String> texts = new ArrayList<>();
            for (Path file : Stream.concat(good, broken).filter(f -> f.toString().endsWith(".res")).sorted().toList()) {
                texts.add(Files.readString(file));
            }
            return texts;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** Corpus file {@code index} after {@code rounds} (1 to 6) mutations drawn from {@code new Random(seed)}. */
    record Mutant(int index, long seed, int rounds) {
        String text() {
            Random random = new Random(seed);
            String text = CORPUS.get(index);
            for (int i = 0; i < rounds; i++) {
                text = mutate(text, random);
            }
            return text;
        }
    }

    /** Every corpus file once with one mutation, then the extremes of the corpus index, seed and rounds. */
    private static List<Mutant> edgeCases() {
        List<Mutant> edges = new ArrayList<>();
        for (int index = 0; index < CORPUS.size(); index++) {
            edges.add(new Mutant(index, index, 1));
        }
        int last = CORPUS.size() - 1;
        edges.add(new Mutant(0, Long.MIN_VALUE, 6));
        edges.add(new Mutant(last, Long.MAX_VALUE, 6));
        edges.add(new Mutant(last, 0, 1));
        return edges;
    }

    static String mutate(String text, Random random) {
        List<String> tokens = new ArrayList<>(List.of(text.split("(?<=[\\s{};])|(?=[{};])")));
        if (tokens.isEmpty()) {
            return text + "{";
        }
        int at = random.nextInt(tokens.size());
        switch (random.nextInt(8)) {
            case 0 -> tokens.remove(at);
            case 1 -> tokens.add(at, tokens.get(at));
            case 2 -> {
                int other = random.nextInt(tokens.size());
                String swap = tokens.get(at);
                tokens.set(at, tokens.get(other));
                tokens.set(other, swap);
            }
            case 3 -> {
                StringBuilder bytes = new StringBuilder();
                for (int i = random.nextInt(8); i >= 0; i--) {
                    bytes.append((char) random.nextInt(0x250));
                }
                tokens.add(at, bytes.toString());
            }
            case 4 -> {
                return text.substring(0, random.nextInt(text.length() + 1));
            }
            case 5 -> {
                char[] chars = text.toCharArray();
                if (chars.length > 0) {
                    int i = random.nextInt(chars.length);
                    chars[i] = (char) (chars[i] ^ (1 << random.nextInt(7)));
                }
                return new String(chars);
            }
            case 6 -> tokens.add(at, "x {".repeat(random.nextInt(5000)) + "}".repeat(random.nextInt(5000)));
            default -> tokens.add(at, List.of("{", "}", ";", "\"", "#", "skip ", "include \"nothing*\";",
                "resource ", "on ", "volume 0 ", "no-").get(random.nextInt(11)));
        }
        return String.join("", tokens);
    }

    @Test
    @Timeout(300)
    void shouldGiveModelOrLocatedErrorsWhenInputIsMutated() {
        SeededTries.check(400, edgeCases(),
            random -> new Mutant(random.nextInt(CORPUS.size()), random.nextLong(), random.nextInt(1, 7)),
            mutant -> parseAndDump(mutant.text()));
    }

    private static void parseAndDump(String text) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<List<ConfigError>> outcome = executor.submit(() -> {
                try {
                    Configuration configuration = Configuration.load("fuzz.res", text);
                    ConfigDump.dump(configuration, java.util.Optional.empty());
                    return List.of();
                } catch (ConfigException invalid) {
                    return invalid.errors();
                }
            });
            List<ConfigError> errors = outcome.get(BUDGET_MS, TimeUnit.MILLISECONDS);
            assertThat(errors).allSatisfy(error -> {
                assertThat(error.location().line()).as(error.toString()).isGreaterThanOrEqualTo(1);
                assertThat(error.message()).isNotBlank();
            });
        } finally {
            executor.shutdownNow();
        }
    }
}
