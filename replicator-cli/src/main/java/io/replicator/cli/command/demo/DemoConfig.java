package io.replicator.cli.command.demo;

import io.replicator.core.config.ConfigException;
import io.replicator.core.config.Configuration;
import io.replicator.core.config.HostConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.config.VolumeConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's configuration: the embedded {@code fixtures/configs/two-node.res} (the README tour's file) with its
 * disks moved from {@value #FIXTURE_FOLDER} into the scratch folder, its fixed peer ports replaced by free loopback
 * ports, the per-node options of {@link #nodeOptions} after each node's {@code address}, and the loopback tuning of
 * {@link #NET_OPTIONS} and {@link #DISK_OPTIONS}. Everything else is the fixture's, so the demo runs what the README
 * describes.
 */
final class DemoConfig {
    /** The resource of the embedded configuration. */
    static final String RESOURCE = "r0";
    /** The nodes of the embedded configuration, in node-id order. */
    static final List<String> NODES = List.of("alpha", "bravo");
    /** The embedded fixture on the class path (copied there by replicator-cli's pom). */
    static final String EMBEDDED = "/io/replicator/cli/demo/two-node.res";
    /** Where the fixture keeps its disks. */
    static final String FIXTURE_FOLDER = "/tmp/replicator";
    /**
     * Added to {@code net { }}: a node that dialed before its peer listened retries after 1 s instead of DRBD's
     * 10 s, which the demo would otherwise wait twice (first start, restart after the crash).
     */
    static final List<String> NET_OPTIONS = List.of("connect-int 1;");
    /**
     * Added to {@code disk { }}: DRBD's resync controller defaults (50 KiB in flight, at most 100 MiB/s) are made for
     * long links and copy about 7 MiB/s over loopback; 8 MiB in flight syncs the 64 MiB volume in seconds.
     */
    static final List<String> DISK_OPTIONS = List.of("c-fill-target 8M;", "c-max-rate 4G;");

    private DemoConfig() {
    }

    /**
     * The options added to {@code node}'s {@code on NAME { }} section, one statement per element, in this order.
     * Its NBD export and its Prometheus endpoint.
     */
    static List<String> nodeOptions(DemoNode node) {
        return List.of("nbd-listen 127.0.0.1:" + node.nbdPort() + ";",
            "metrics-listen 127.0.0.1:" + node.metricsPort() + ";");
    }

    /** The embedded fixture's text. */
    static String embedded() throws IOException {
        try (InputStream in = DemoConfig.class.getResourceAsStream(EMBEDDED)) {
            if (in == null) {
                throw new IOException("the embedded config " + EMBEDDED + " is missing from the jar; rebuild with "
                    + "'mvn -B -DskipTests package'");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Rewrites {@code fixture} for {@code nodes} (by name) with disks under {@code scratch}, and checks the result:
     * it must load, and every node must have its new address, its options and its disks under {@code scratch}.
     *
     * @throws IllegalStateException when the fixture no longer has the shape the demo rewrites (a build problem)
     */
    static String render(String fixture, Path scratch, Map<String, DemoNode> nodes) {
        List<String> lines = new ArrayList<>();
        String host = null;
        int depth = 0;
        for (String line : fixture.split("\n", -1)) {
            int comment = line.indexOf('#');
            String statement = (comment >= 0 ? line.substring(0, comment) : line).strip();
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            if (depth == 1 && statement.startsWith("on ") && statement.endsWith("{")) {
                host = statement.substring(3, statement.length() - 1).strip();
            }
            if (host != null && nodes.containsKey(host) && statement.startsWith("address ")) {
                DemoNode node = nodes.get(host);
                lines.add(indent + "address 127.0.0.1:" + node.peerPort() + ";");
                nodeOptions(node).forEach(option -> lines.add(indent + option));
            } else {
                lines.add(line.replace(FIXTURE_FOLDER + "/", scratch + "/"));
            }
            if (depth == 1 && statement.equals("net {")) {
                NET_OPTIONS.forEach(option -> lines.add(indent + "  " + option));
            } else if (depth == 1 && statement.equals("disk {")) {
                DISK_OPTIONS.forEach(option -> lines.add(indent + "  " + option));
            }
            depth += count(statement, '{') - count(statement, '}');
            if (depth < 2) {
                host = null;
            }
        }
        String text = String.join("\n", lines);
        check(text, scratch, nodes);
        return text;
    }

    private static void check(String text, Path scratch, Map<String, DemoNode> nodes) {
        try {
            ResourceConfig resource = Configuration.load("demo " + RESOURCE + ".res", text).resource(RESOURCE);
            for (DemoNode node : nodes.values()) {
                HostConfig host = resource.requireHost(node.name());
                if (!host.address().orElse("").endsWith(":" + node.peerPort())) {
                    throw new IllegalStateException("node " + node.name() + " has no 'address' line to rewrite");
                }
                if (host.nbdListen().isEmpty()) {
                    throw new IllegalStateException("node " + node.name() + " has no NBD export");
                }
                for (VolumeConfig volume : host.volumes()) {
                    if (!Path.of(volume.disk()).startsWith(scratch)) {
                        throw new IllegalStateException("node " + node.name() + " keeps its disk " + volume.disk()
                            + " outside " + scratch + "; the demo moves disks from " + FIXTURE_FOLDER + " only");
                    }
                }
            }
        } catch (ConfigException | IllegalStateException wrongShape) {
            throw new IllegalStateException("the embedded " + EMBEDDED + " no longer fits the demo: "
                + wrongShape.getMessage() + "\n" + text, wrongShape);
        }
    }

    private static int count(String text, char wanted) {
        return (int) text.chars().filter(c -> c == wanted).count();
    }
}
