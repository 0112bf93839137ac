package io.replicator.net.nbd;

import io.replicator.fixtures.RequiredTools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** Runs a real client tool; a missing one is handled by {@link RequiredTools}' policy. */
final class ExternalTool {
    private ExternalTool() {
    }

    /** The result of one run: exit status and the merged stdout and stderr. */
    record Result(int exitCode, String output) {
    }

    /** Skips (or, on CI, fails) unless every tool is on the PATH. */
    static void require(String... tools) {
        for (String tool : tools) {
            RequiredTools.require(tool, "libnbd-bin qemu-utils fio nbdkit");
        }
    }

    /** Runs {@code command}, failing the test if it does not end within {@code timeoutSeconds}. */
    static Result run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[][] output = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = ("(output lost: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            reader.join(5000);
            fail(command + " did not finish within " + timeoutSeconds + " s");
        }
        reader.join(5000);
        return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }

    /** Runs {@code command} and fails the test with its output unless it exits 0; returns the output. */
    static String check(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Result result = run(timeoutSeconds, List.of(command));
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }
}
