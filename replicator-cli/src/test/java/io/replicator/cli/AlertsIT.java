package io.replicator.cli;

import com.sun.net.httpserver.HttpServer;
import io.replicator.fixtures.RequiredTools;
import io.replicator.fixtures.cluster.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's alerts: {@code packaging/handlers/replicator-notify} posts a JSON document to a webhook and sends a
 * mail for each event it is configured for ({@code split-brain}, {@code quorum-lost}, {@code fence-peer},
 * {@code local-io-error}, and {@code failover} from a promoter's start list), received here by a local HTTP server
 * and a minimal SMTP receiver; and on real daemons, as the {@code fence-peer} handler chained before the fence
 * agent, when a Primary loses its peer.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AlertsIT {
    private static final Path NOTIFY = Path.of(System.getProperty("replicator.home", "..")).toAbsolutePath()
        .normalize().resolve("packaging/handlers/replicator-notify");

    @TempDir
    Path folder;

    private HttpServer webhook;
    private final BlockingQueue<String> posts = new LinkedBlockingQueue<>();
    private FakeSmtp smtp;

    @BeforeEach
    void receivers() throws Exception {
        RequiredTools.require("curl", "curl");
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/hook", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        smtp = new FakeSmtp();
    }

    @AfterEach
    void stop() throws Exception {
        webhook.stop(0);
        smtp.close();
    }

    @Test
    void eachEventReachesTheWebhookAndTheMailbox_aStopSendsNothing_andAFailedDeliveryStillExitsZero()
        throws Exception {
        Map<String, String> env = Map.of("DRBD_RESOURCE", "r0", "DRBD_PEER_NAME", "bravo", "DRBD_VOLUME", "0");
        for (String event : List.of("split-brain", "quorum-lost", "fence-peer", "local-io-error")) {
            assertThat(notify(env, event)).isZero();
            String post = posts.poll(10, TimeUnit.SECONDS);
            assertThat(post).as(event).contains("\"event\":\"" + event + "\"", "\"resource\":\"r0\"",
                "\"peer\":\"bravo\"");
            assertThat(smtp.mails.poll(10, TimeUnit.SECONDS)).as(event)
                .contains("Subject: [replicator] " + event + ": r0 on ").contains("RCPT TO:<ops@example.test>");
        }
        assertThat(notify(env, "failover", "start")).isZero();
        assertThat(posts.poll(10, TimeUnit.SECONDS)).contains("\"event\":\"failover\"", "took over r0");
        smtp.mails.poll(10, TimeUnit.SECONDS);
        assertThat(notify(env, "failover", "stop")).isZero();
        assertThat(posts.poll(500, TimeUnit.MILLISECONDS)).as("stop sends nothing").isNull();

        webhook.stop(0);
        assertThat(notify(env, "split-brain")).as("a notification never fails its caller").isZero();
    }

    @Test
    void asTheFencePeerHandlerItAlertsWhenAPrimaryLosesItsPeer() throws Exception {
        String notify = "REPLICATOR_NOTIFY_URL=" + hookUrl() + " REPLICATOR_NOTIFY_CONF=/nonexistent " + NOTIFY;
        try (TestCluster cluster = TestCluster.builder(folder.resolve("fence")).nodes(2).size("16M")
            .netOptions("fencing resource-only;")
            .editNode("alpha", text -> HandlerLogs.withSection(text, "  handlers {\n    fence-peer \"" + notify
                + " fence-peer; exit 7\";\n  }\n")).build()) {
            cluster.bootstrap("alpha");
            cluster.kill9("bravo");
            String post = posts.poll(60, TimeUnit.SECONDS);
            assertThat(post).as(cluster.logTail("alpha")).contains("\"event\":\"fence-peer\"",
                "\"resource\":\"r0\"", "\"peer\":\"bravo\"", "is fencing bravo for r0");
            cluster.waitFor("alpha", status -> status.contains("bravo connection:Connecting"),
                Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!cluster.logTail("alpha", 400).contains("fence-peer on bravo exited 7")
                && System.nanoTime() < deadline) {
                Thread.sleep(50); // the handler's exit is logged a moment after the webhook got its post
            }
            assertThat(cluster.logTail("alpha", 400)).contains("fence-peer on bravo exited 7");
        }
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
    }

    private int notify(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(NOTIFY.toString());
        builder.command().addAll(List.of(args));
        builder.environment().putAll(env);
        builder.environment().put("REPLICATOR_NOTIFY_CONF", folder.resolve("none.conf").toString());
        builder.environment().put("REPLICATOR_NOTIFY_URL", hookUrl());
        builder.environment().put("REPLICATOR_NOTIFY_MAIL_TO", "ops@example.test");
        builder.environment().put("REPLICATOR_NOTIFY_SMTP", "smtp://127.0.0.1:" + smtp.port());
        builder.environment().put("REPLICATOR_NOTIFY_TIMEOUT", "5");
        builder.redirectErrorStream(true).redirectOutput(folder.resolve("notify.out").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    /** Just enough SMTP for curl to hand over one mail per connection; each mail's dialogue and text, queued. */
    private static final class FakeSmtp implements AutoCloseable {
        final BlockingQueue<String> mails = new LinkedBlockingQueue<>();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Thread acceptor = new Thread(this::serve, "fake-smtp");

        FakeSmtp() throws Exception {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII));
                    OutputStream raw = socket.getOutputStream();
                    PrintWriter out = new PrintWriter(raw, true, StandardCharsets.US_ASCII);
                    StringBuilder mail = new StringBuilder();
                    out.print("220 fake-smtp ready\r\n");
                    out.flush();
                    String line;
                    while ((line = in.readLine()) != null) {
                        mail.append(line).append('\n');
                        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                        if (verb.equals("DATA")) {
                            out.print("354 go on\r\n");
                            out.flush();
                            while ((line = in.readLine()) != null && !line.equals(".")) {
                                mail.append(line).append('\n');
                            }
                            out.print("250 queued\r\n");
                        } else if (verb.equals("QUIT")) {
                            out.print("221 bye\r\n");
                            out.flush();
                            break;
                        } else {
                            out.print("250 ok\r\n");
                        }
                        out.flush();
                    }
                    mails.add(mail.toString());
                } catch (Exception closed) {
                    return;
                }
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
