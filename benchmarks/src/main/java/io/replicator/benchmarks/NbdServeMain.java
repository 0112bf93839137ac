package io.replicator.benchmarks;

import io.replicator.core.volume.Durability;
import io.replicator.core.volume.FileVolume;
import io.replicator.net.nbd.NbdExport;
import io.replicator.net.nbd.NbdExports;
import io.replicator.net.nbd.NbdServer;
import io.replicator.net.nbd.VolumeNbdBackend;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Serves one existing file as the NBD export {@code bench} (also the default export) on 127.0.0.1:PORT, without
 * replication, until killed. Used by {@code benchmarks/nbd-vs-nbdkit.sh}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.replicator.benchmarks.NbdServeMain FILE PORT [IO_THREADS]</pre>
 */
public final class NbdServeMain {
    private NbdServeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: NbdServeMain FILE PORT [IO_THREADS]");
            System.exit(2);
        }
        FileVolume volume = FileVolume.open(Path.of(args[0]), Durability.FORCE);
        NbdExport export = new NbdExport("bench", "benchmark file " + args[0], new VolumeNbdBackend(volume), false);
        NbdExports exports = NbdExports.withDefault(export);
        NbdServer.Options options = NbdServer.Options.defaults();
        if (args.length > 2) {
            options = options.withIoThreads(Integer.parseInt(args[2]));
        }
        NbdServer server = NbdServer.start(List.of(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]))),
            exports, options);
        System.out.println("serving " + args[0] + " on " + server.boundAddresses());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
    }
}
