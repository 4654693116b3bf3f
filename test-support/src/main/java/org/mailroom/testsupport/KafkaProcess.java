package org.mailroom.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.mailroom.core.Topics;

/**
 * A real Kafka broker in its own process (KRaft, combined mode, the jars of this test classpath),
 * on fixed ports and a fixed log folder, so a test can stop it and start it again as an operator
 * would: for "the broker goes away" tests. Slower than {@link Infra#kafka()}; use only for those.
 */
public final class KafkaProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;

    public KafkaProcess() {
        try {
            dir = Files.createTempDirectory("mailroom-kafka-process-");
            port = freePort();
            controllerPort = freePort();
            Files.writeString(dir.resolve("server.properties"), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    "message.max.bytes=" + Topics.MAX_RECORD_BYTES,
                    ""));
            run(List.of("kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId(), "-c",
                    dir.resolve("server.properties").toString()), true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again) and waits until it serves; creates the platform's topics the first time. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        process = run(List.of("kafka.Kafka", dir.resolve("server.properties").toString()), false);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        KafkaServer view = KafkaServer.external(bootstrapServers());
        while (true) {
            try {
                view.createTopics();
                return;
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                    throw new IllegalStateException("Kafka process did not start; see " + dir.resolve("kafka.log"), e);
                }
            }
        }
    }

    /** Stops the broker as SIGTERM does (a controlled shutdown), and waits for the process to end. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        waitClosed();
    }

    private void waitClosed() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            } catch (IOException e) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Process run(List<String> mainAndArgs, boolean wait) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.log").toFile())).start();
            if (wait && (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)) {
                throw new IllegalStateException(mainAndArgs.get(0) + " failed; see " + dir.resolve("kafka.log"));
            }
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A random cluster id in Kafka's form (16 octets, URL-safe base64). Never one starting with
     * '-': the storage tool's parser takes it for an option (1 run in 64 failed that way), which is
     * why Kafka's own Uuid.randomUuid() skips such ids too.
     */
    static String clusterId() {
        while (true) {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
