package io.replicator.cli;

import io.replicator.fixtures.RequiredTools;
import io.replicator.fixtures.cluster.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeds' database scenario with automatic failover: three real daemons ({@code quorum majority}), a
 * {@code replicator promoter} per node whose start list attaches the node's NBD export as a block device (nbdfuse and
 * a loop device), checks and mounts its ext4 file system, and starts PostgreSQL on it — heartbeat-style scripts that
 * take {@code start} and {@code stop}. Committed transactions go to whichever node runs it; then that node dies as a
 * machine would (its daemon, promoter, PostgreSQL and mounts killed at once), another node brings the service back
 * by itself, and every committed transaction is there.
 *
 * <p>Needs root, {@code /dev/fuse}, nbdfuse (libnbd-bin), losetup, e2fsprogs and PostgreSQL (initdb and pg_ctl).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DatabaseFailoverIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final List<String> NODES = List.of("alpha", "bravo", "charlie");

    @TempDir
    Path folder;

    @Test
    void killingTheDatabaseNodeBringsPostgresBackElsewhereWithEveryCommittedTransaction() throws Exception {
        Path pgBin = requirements();
        Path dir = folder.resolve("db");
        Files.createDirectories(dir);
        // PostgreSQL runs as postgres: the folders on its way must be traversable.
        for (Path p = dir; p != null && p.startsWith(folder.getParent()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        writeScripts(dir, pgBin);
        try (TestCluster cluster = TestCluster.builder(dir.resolve("cluster")).nodes(3).size("256M")
            .editNode("alpha", PromoterIT::failoverOptions).editNode("bravo", PromoterIT::failoverOptions)
            .editNode("charlie", PromoterIT::failoverOptions).build()) {
            for (String node : NODES) {
                Files.writeString(dir.resolve(node + ".nbdport"), Integer.toString(
                    cluster.nbdAddress(node).getPort()));
                Files.writeString(dir.resolve(node + ".pgport"), Integer.toString(freePort()));
            }
            cluster.bootstrap("alpha");
            // The operator's one-time setup on alpha: a file system with a PostgreSQL cluster on the device.
            run(dir, "sh", dir.resolve("storage.sh").toString(), "alpha", "mkfs");
            run(dir, "sh", dir.resolve("storage.sh").toString(), "alpha", "start");
            run(dir, "sh", dir.resolve("postgres.sh").toString(), "alpha", "initdb");
            run(dir, "sh", dir.resolve("storage.sh").toString(), "alpha", "stop");
            cluster.secondary("alpha");
            for (String node : NODES) {
                Path file = dir.resolve(node + "-promoter.toml");
                Files.writeString(file, "[[promoter]]\n[promoter.resources." + TestCluster.RESOURCE + "]\n"
                    + "runner = \"shell\"\nstop-services-on-exit = true\nstart = [\"sh " + dir.resolve("storage.sh")
                    + " " + node + "\", \"sh " + dir.resolve("postgres.sh") + " " + node + "\"]\n");
                cluster.promoters().start(node, file);
            }
            String primary = awaitPostgres(cluster, dir, NODES);
            // Read now: once the node's daemon is dead, its file system answers EIO.
            String postmaster = Files.readAllLines(dir.resolve(primary + "-pg/data/postmaster.pid")).get(0).strip();
            psql(dir, primary, "create table t (id integer primary key)");

            Set<Integer> committed = new ConcurrentSkipListSet<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                for (int id = 1; running.get(); id++) {
                    try {
                        if (psqlQuietly(dir, primary, "insert into t values (" + id + ")") == 0) {
                            committed.add(id);
                        }
                    } catch (Exception stopped) {
                        return;
                    }
                }
            }, "committer");
            writer.start();
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (committed.size() < 50 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            powerOff(cluster, dir, primary, postmaster);
            running.set(false);
            writer.join(30_000);
            assertThat(committed).as("transactions committed before the node died").hasSizeGreaterThanOrEqualTo(50);

            List<String> survivors = NODES.stream().filter(node -> !node.equals(primary)).toList();
            String next = awaitPostgres(cluster, dir, survivors);
            String rows = psqlOutput(dir, next, "select id from t order by id");
            List<Integer> present = new ArrayList<>();
            for (String line : rows.split("\n")) {
                if (!line.isBlank()) {
                    present.add(Integer.parseInt(line.strip()));
                }
            }
            assertThat(present).as("every transaction committed on %s is on %s", primary, next)
                .containsAll(committed);
            System.out.println("database failover: " + primary + " died after " + committed.size()
                + " commits; " + next + " serves " + present.size() + " rows");
        } finally {
            for (String node : NODES) {
                cleanUp(dir, node);
            }
        }
    }

    /** Whatever a failed run left: PostgreSQL, the mount, the loop device and nbdfuse of {@code node}. */
    private static void cleanUp(Path dir, String node) {
        try {
            if (Files.exists(dir.resolve(node + "-pg/data/postmaster.pid"))) {
                new ProcessBuilder("sh", dir.resolve("postgres.sh").toString(), node, "stop").start()
                    .waitFor(40, TimeUnit.SECONDS);
            }
            new ProcessBuilder("sh", dir.resolve("storage.sh").toString(), node, "stop").start()
                .waitFor(20, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort
        }
    }

    private static Path requirements() throws Exception {
        RequiredTools.require("nbdfuse", "libnbd-bin");
        RequiredTools.require("losetup", "mount");
        RequiredTools.require("e2fsck", "e2fsprogs");
        RequiredTools.require("psql", "postgresql");
        if (!Files.exists(Path.of("/dev/fuse")) || !"root".equals(System.getProperty("user.name"))) {
            RequiredTools.unavailable("needs root and /dev/fuse");
        }
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                .sorted().reduce((a, b) -> b).orElseThrow();
        } catch (IOException | java.util.NoSuchElementException missing) {
            RequiredTools.unavailable("PostgreSQL's initdb is not installed (Debian package: postgresql)");
            throw new AssertionError("unreachable");
        }
    }

    /** The start list's two scripts: storage (NBD export, loop device, file system) and PostgreSQL. */
    private static void writeScripts(Path dir, Path pgBin) throws IOException {
        Files.writeString(dir.resolve("storage.sh"), """
            #!/bin/sh
            # storage.sh NODE start|stop|mkfs: the node's export as a block device (nbdfuse, loop), its file system
            node="$1"; dir="$(dirname "$0")"; port=$(cat "$dir/$node.nbdport")
            fuse="$dir/$node-fuse"; mnt="$dir/$node-pg"
            attach() {
              mkdir -p "$fuse" "$mnt"
              nbdfuse "$fuse" "nbd://127.0.0.1:$port/r0" & echo $! > "$dir/$node.nbdfuse.pid"
              i=0; while [ ! -e "$fuse/nbd" ]; do i=$((i+1)); [ $i -gt 200 ] && exit 1; sleep 0.05; done
              loop=$(losetup -f --show "$fuse/nbd") || exit 1
              echo "$loop" > "$dir/$node.loop"
            }
            detach() {
              [ -f "$dir/$node.loop" ] && losetup -d "$(cat "$dir/$node.loop")"; rm -f "$dir/$node.loop"
              umount "$fuse" 2>/dev/null || umount -l "$fuse" 2>/dev/null
              [ -f "$dir/$node.nbdfuse.pid" ] && kill "$(cat "$dir/$node.nbdfuse.pid")" 2>/dev/null
              rm -f "$dir/$node.nbdfuse.pid"
            }
            case "$2" in
              mkfs) attach; mkfs.ext4 -q "$(cat "$dir/$node.loop")" || exit 1; detach ;;
              start) attach; e2fsck -p "$(cat "$dir/$node.loop")"; [ $? -le 1 ] || exit 1
                     mount "$(cat "$dir/$node.loop")" "$mnt" || exit 1
                     chmod 755 "$mnt" ;;
              stop) umount "$mnt" 2>/dev/null || umount -l "$mnt"; detach ;;
            esac
            """);
        Files.writeString(dir.resolve("postgres.sh"), """
            #!/bin/sh
            # postgres.sh NODE start|stop|initdb: PostgreSQL on the node's mounted file system
            node="$1"; dir="$(dirname "$0")"; pgport=$(cat "$dir/$node.pgport")
            data="$dir/$node-pg/data"; sock="$dir/sock-$node"; bin=%s
            mkdir -p "$sock" && chown postgres "$sock"
            as_postgres() { su postgres -s /bin/sh -c "$1"; }
            case "$2" in
              initdb) mkdir -p "$data" && chown postgres "$data" && chmod 700 "$data"
                      as_postgres "$bin/initdb -D '$data' --auth=trust -U postgres >/dev/null" ;;
              start) as_postgres "$bin/pg_ctl -D '$data' -l '$sock/postgres.log' -w -t 60 \\
                       -o '-p $pgport -k $sock -c listen_addresses=' start" ;;
              stop) as_postgres "$bin/pg_ctl -D '$data' -m fast -w -t 30 stop" ;;
            esac
            """.formatted(pgBin));
    }

    /** The node dies as a machine would: daemon, promoter, PostgreSQL and the block device gone at once. */
    private static void powerOff(TestCluster cluster, Path dir, String node, String postmaster) throws Exception {
        cluster.promoters().kill(node);
        new ProcessBuilder("pkill", "-9", "-P", postmaster).start().waitFor();
        new ProcessBuilder("kill", "-9", postmaster).start().waitFor();
        cluster.kill9(node);
        Path fusePid = dir.resolve(node + ".nbdfuse.pid");
        if (Files.exists(fusePid)) {
            new ProcessBuilder("kill", "-9", Files.readString(fusePid).strip()).start().waitFor();
        }
        new ProcessBuilder("umount", "-l", dir.resolve(node + "-pg").toString()).start().waitFor();
        Path loop = dir.resolve(node + ".loop");
        if (Files.exists(loop)) {
            new ProcessBuilder("losetup", "-d", Files.readString(loop).strip()).start().waitFor();
        }
        new ProcessBuilder("umount", "-l", dir.resolve(node + "-fuse").toString()).start().waitFor();
    }

    /** Waits until PostgreSQL answers on exactly one of {@code candidates}; returns it. */
    private static String awaitPostgres(TestCluster cluster, Path dir, List<String> candidates) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            for (String node : candidates) {
                if (Files.exists(dir.resolve(node + "-pg/data/postmaster.pid"))
                    && psqlQuietly(dir, node, "select 1") == 0) {
                    return node;
                }
            }
            Thread.sleep(200);
        }
        StringBuilder logs = new StringBuilder();
        for (String node : candidates) {
            logs.append("--- ").append(node).append(" promoter:\n")
                .append(Files.exists(cluster.promoters().log(node)) ? Files.readString(cluster.promoters().log(node)) : "")
                .append('\n');
        }
        throw new AssertionError("PostgreSQL did not come up on " + candidates + "\n" + logs + cluster.logTails());
    }

    private static void psql(Path dir, String node, String sql) throws Exception {
        assertThat(psqlQuietly(dir, node, sql)).as("psql on %s: %s", node, sql).isZero();
    }

    private static int psqlQuietly(Path dir, String node, String sql) throws Exception {
        Process process = psqlProcess(dir, node, sql).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    private static String psqlOutput(Path dir, String node, String sql) throws Exception {
        Process process = psqlProcess(dir, node, sql).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("psql on %s: %s", node, sql).isZero();
        return out;
    }

    private static ProcessBuilder psqlProcess(Path dir, String node, String sql) throws IOException {
        return new ProcessBuilder("psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h",
            dir.resolve("sock-" + node).toString(), "-p", Files.readString(dir.resolve(node + ".pgport")).strip(),
            "-U", "postgres", "-d", "postgres", "-c", sql);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("setup.log").toFile())).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s\n%s", String.join(" ", command),
            Files.readString(dir.resolve("setup.log"))).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
