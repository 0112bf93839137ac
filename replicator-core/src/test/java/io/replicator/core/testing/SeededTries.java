package io.replicator.core.testing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Randomized tests with a printed, repeatable seed: a property checked on fixed edge cases first, then on inputs drawn
 * from a {@link SplittableRandom}, each random try with a seed of its own.
 *
 * <p>The base seed is the system property {@value #SEED_PROPERTY} when set, else {@link System#nanoTime()}; it is
 * printed as {@code <Class>.<method> seed <S>}. Random try {@code i} uses seed {@code base + i * 0x9E3779B97F4A7C15},
 * so random try 0 uses the base seed itself. A failing try throws an {@link AssertionError} naming its seed: rerunning
 * with {@code -Dreplicator.seed=<that seed>} makes the failing input the first random try (after the edge cases,
 * which do not depend on the seed).
 *
 * <p>{@code fixtures}' {@code io.replicator.fixtures.SeededTries} is the same class for the modules that depend on
 * fixtures (core's tests cannot: fixtures depends on core); keep the two alike.
 */
public final class SeededTries {
    public static final String SEED_PROPERTY = "replicator.seed";
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    /** A check of one input; any exception or error fails the try. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T input) throws Throwable;
    }

    private SeededTries() {
    }

    /**
     * Checks {@code property} on every edge case, then on {@code tries - edgeCases.size()} inputs made by
     * {@code generator} from per-try seeded randoms ({@code tries} counts the edge cases). Returns the base seed, for
     * the messages of checks made after all tries (coverage, say).
     */
    public static <T> long check(int tries, List<T> edgeCases, Function<SplittableRandom, T> generator,
            Property<T> property) {
        if (edgeCases.size() > tries) {
            throw new IllegalArgumentException(edgeCases.size() + " edge cases for " + tries + " tries");
        }
        String name = caller();
        long base = baseSeed(name);
        for (int i = 0; i < edgeCases.size(); i++) {
            T input = edgeCases.get(i);
            run(name, property, input, () -> "edge case " + describe(input));
        }
        for (int i = 0; i < tries - edgeCases.size(); i++) {
            long seed = base + i * GAMMA;
            int index = i;
            T input = generator.apply(new SplittableRandom(scramble(seed)));
            run(name, property, input, () -> "random try " + index + " with seed " + seed + " (rerun with -D"
                + SEED_PROPERTY + "=" + seed + "; base seed " + base + "): " + describe(input));
        }
        return base;
    }

    /** The base seed for {@code name}: the system property if set, else the clock; printed either way. */
    private static long baseSeed(String name) {
        String fixed = System.getProperty(SEED_PROPERTY, "").trim();
        long seed = fixed.isEmpty() ? System.nanoTime() : Long.parseLong(fixed);
        System.out.println(name + " seed " + seed + (fixed.isEmpty() ? "" : " (from -D" + SEED_PROPERTY + ")"));
        return seed;
    }

    private static <T> void run(String name, Property<T> property, T input, Supplier<String> which) {
        try {
            property.check(input);
        } catch (Throwable failure) {
            throw new AssertionError(name + " failed on " + which.get(), failure);
        }
    }

    private static String describe(Object input) {
        String text = String.valueOf(input);
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "... (" + text.length() + " chars)";
    }

    /** {@code SimpleClassName.method} of the test that called this class. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
            .filter(frame -> !frame.getClassName().equals(SeededTries.class.getName()))
            .findFirst()
            .map(frame -> frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1) + "."
                + frame.getMethodName())
            .orElse("?"));
    }

    /**
     * Try seeds are a step of 0x9E3779B97F4A7C15 apart, which is SplittableRandom's own increment: unscrambled, each
     * try would replay its predecessor's draws shifted by one.
     */
    private static long scramble(long seed) {
        long z = seed * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ z >>> 31) * 0x94D0_49BB_1331_11EBL;
        return z ^ z >>> 29;
    }
}
