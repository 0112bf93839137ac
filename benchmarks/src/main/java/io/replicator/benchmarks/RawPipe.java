package io.replicator.benchmarks;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Baseline (c) of TESTING.md: a raw pipe that writes locally and streams the same bytes over loopback TCP to a
 * second writer — what replication costs with no protocol at all. Plain Java NIO, blocking, no Netty.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.replicator.benchmarks.RawPipe receive --port P --file F [--bind ADDR]
 * java -cp benchmarks/target/benchmarks.jar io.replicator.benchmarks.RawPipe send --host 127.0.0.1 --port P \
 *     --file F --block 1M --total 4G [--ack] [--iodepth N] [--fsync-every N]
 * </pre>
 *
 * <p>The sender prints one JSON line: MB/s (10^6 bytes), MiB/s, blocks/s and per-block latency (mean, p50, p90, p99,
 * p99.9, max in microseconds). {@code --ack} makes the receiver answer each block after writing it, with at most
 * {@code --iodepth} blocks unanswered (default 1: every block waits for the remote write, as protocol C does).
 * {@code --fsync-every N} forces both files every N blocks and at the end (default 0: page cache only). Sizes take
 * K, M, G suffixes (powers of 1024). {@code benchmarks/raw-pipe.sh} runs both halves and summarizes repetitions.
 */
public final class RawPipe {
    private static final Set<String> FLAGS = Set.of("--ack");

    private RawPipe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("send") || args[0].equals("receive"))) {
            usage("say send or receive");
        }
        Map<String, String> options = options(List.of(args).subList(1, args.length));
        Path file = Path.of(required(options, "--file"));
        int port = Integer.parseInt(required(options, "--port"));
        if (args[0].equals("receive")) {
            String bind = options.getOrDefault("--bind", "127.0.0.1");
            System.out.println(RawPipeReceiver.run(new InetSocketAddress(bind, port), file));
            return;
        }
        int blockBytes = Math.toIntExact(size(required(options, "--block")));
        long totalBytes = size(required(options, "--total"));
        int iodepth = Integer.parseInt(options.getOrDefault("--iodepth", "1"));
        int fsyncEvery = Integer.parseInt(options.getOrDefault("--fsync-every", "0"));
        boolean ack = options.containsKey("--ack");
        if (blockBytes <= 0 || totalBytes < blockBytes || totalBytes % blockBytes != 0) {
            usage("--total must be a positive multiple of --block");
        }
        if (iodepth < 1 || (!ack && iodepth != 1) || fsyncEvery < 0) {
            usage("--iodepth (at least 1) applies to --ack only; --fsync-every must not be negative");
        }
        RawPipeDescriptor.Session session = new RawPipeDescriptor.Session(blockBytes, totalBytes, fsyncEvery, ack);
        System.out.println(RawPipeSender.run(new InetSocketAddress(required(options, "--host"), port), file, session,
            iodepth));
    }

    private static Map<String, String> options(List<String> words) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (FLAGS.contains(word)) {
                options.put(word, "");
            } else if (word.startsWith("--") && i + 1 < words.size()) {
                options.put(word, words.get(++i));
            } else {
                usage("unexpected " + word);
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            usage(name + " is required");
        }
        return value;
    }

    /** {@code 4096}, {@code 4K}, {@code 1M}, {@code 4G}: bytes, in powers of 1024. */
    static long size(String text) {
        String digits = text.toUpperCase(java.util.Locale.ROOT);
        int shift = switch (digits.charAt(digits.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        if (shift > 0) {
            digits = digits.substring(0, digits.length() - 1);
        }
        return Math.multiplyExact(Long.parseLong(digits), 1L << shift);
    }

    private static void usage(String problem) {
        System.err.println("RawPipe: " + problem + "\nusage: RawPipe receive --port P --file F [--bind ADDR]\n"
            + "       RawPipe send --host H --port P --file F --block SIZE --total SIZE [--ack] [--iodepth N] "
            + "[--fsync-every N]");
        System.exit(2);
    }
}
