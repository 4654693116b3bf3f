package org.mailroom.ingress.net;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailroom.ingress.directory.DirectoryLoader;
import org.mailroom.ingress.session.Listener;
import org.mailroom.testsupport.MailroomTestResources;

/**
 * Every script in src/test/resources/conversations against the real MX listener, the real broker
 * and the directory read from mail.directory. {@code C:} lines are sent (with {@code \r\n} escapes
 * for pipelining several commands in one write; CRLF is appended); {@code S:} lines are regular
 * expressions one reply line must match; {@code #} starts a comment.
 */
@QuarkusTest
@WithTestResource(value = MailroomTestResources.class, initArgs = @ResourceArg(name = "database", value = "false"))
class ConversationIT {

    @Inject
    SmtpServer server;

    @Inject
    DirectoryLoader directory;

    @BeforeEach
    void directory() {
        TestDirectory.ensure(directory);
    }

    static Stream<Path> scripts() throws IOException, URISyntaxException {
        Path dir = Path.of(ConversationIT.class.getResource("/conversations").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".smtp")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void conversation(Path script) throws IOException {
        List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.port(Listener.MX))) {
            socket.setSoTimeout(15_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int n = 0;
            for (String line : lines) {
                n++;
                if (line.startsWith("C: ")) {
                    out.write((line.substring(3).replace("\\r", "\r").replace("\\n", "\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else if (line.startsWith("S: ")) {
                    String reply = in.readLine();
                    if (reply == null) {
                        fail(script.getFileName() + ":" + n + ": connection closed, expected " + line.substring(3));
                    }
                    assertTrue(reply.matches(line.substring(3)),
                            script.getFileName() + ":" + n + ": got [" + reply + "], expected /" + line.substring(3) + "/");
                } else if (line.equals("CLOSED")) {
                    assertTrue(in.readLine() == null, script.getFileName() + ":" + n + ": expected the server to close");
                }
            }
        }
    }
}
