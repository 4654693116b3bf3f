package org.mailroom.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/local/topics.conf creates exactly the topics of {@link Topics#ALL}, with the same settings. */
class TopicsTest {

    @Test
    void localDeploymentCreatesTheContractTopics() throws IOException {
        List<Topics.Spec> fromFile = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("../deploy/local/topics.conf"))) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            boolean compacted = t.contains("cleanup.policy=compact");
            boolean large = t.contains("max.message.bytes=" + Topics.MAX_RECORD_BYTES);
            fromFile.add(new Topics.Spec(f[0], Integer.parseInt(f[1]), compacted, large));
        }
        assertEquals(Topics.ALL, fromFile);
    }
}
