package io.replicator.core.config;

/**
 * Numbers with drbd.conf's unit suffixes: {@code s} (512-byte sector), {@code k}/{@code K} (2^10),
 * {@code m}/{@code M} (2^20), {@code g}/{@code G} (2^30); no suffix means the option's default unit. There is no T.
 */
public final class ScaledNumber {
    /** Unit of a plain sector count. */
    public static final long SECTOR = 512;
    /** Unit of a plain KiB count. */
    public static final long KIB = 1024;
    /** Unit of a plain number. */
    public static final long ONE = 1;

    private ScaledNumber() {
    }

    /**
     * The value of {@code text} in bytes-like base units, where a bare number counts {@code defaultUnit} each,
     * e.g. {@code parse("64M", SECTOR)} = 67108864 and {@code parse("100", SECTOR)} = 51200.
     *
     * @throws IllegalArgumentException naming the problem: not a number, an invalid unit, or overflow
     */
    public static long parse(String text, long defaultUnit) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a number was expected");
        }
        char last = text.charAt(text.length() - 1);
        long unit;
        String digits;
        if (Character.isDigit(last)) {
            unit = defaultUnit;
            digits = text;
        } else {
            unit = switch (last) {
                case 's' -> SECTOR;
                case 'k', 'K' -> 1L << 10;
                case 'm', 'M' -> 1L << 20;
                case 'g', 'G' -> 1L << 30;
                default -> throw new IllegalArgumentException("'" + text + "' has an invalid unit '" + last
                    + "' (allowed: s, k, K, m, M, g, G)");
            };
            digits = text.substring(0, text.length() - 1);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            throw new IllegalArgumentException("'" + text + "' is too large", tooLarge);
        }
    }
}
