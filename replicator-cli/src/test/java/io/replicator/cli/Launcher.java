package io.replicator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code bin/replicator} of this checkout, as a user would. */
final class Launcher {
    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
    }

    private final Path home = Path.of(System.getProperty("replicator.home", "..")).toAbsolutePath().normalize();
    private final Path runDirectory;

    Launcher() {
        this(null);
    }

    /** A launcher whose daemons keep their sockets in {@code runDirectory} ({@code REPLICATOR_RUN_DIR}). */
    Launcher(Path runDirectory) {
        this.runDirectory = runDirectory;
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/replicator").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (runDirectory != null) {
            builder.environment().put("REPLICATOR_RUN_DIR", runDirectory.toString());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/replicator " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
            new String(err, StandardCharsets.UTF_8));
    }

    Path home() {
        return home;
    }
}
