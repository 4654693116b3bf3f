package org.mailroom.policy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How a poll is cut into transactions, and where an aborted one rewinds to. */
class TransactionalLoopTest {

    private static ConsumerRecord<String, byte[]> record(int partition, long offset, int size) {
        return new ConsumerRecord<>("t", partition, offset, "k", new byte[size]);
    }

    private static List<Integer> sizes(List<List<ConsumerRecord<String, byte[]>>> chunks) {
        return chunks.stream().map(List::size).toList();
    }

    @Test
    void smallRecordsGoManyToATransactionUpToTheRecordLimit() {
        List<ConsumerRecord<String, byte[]>> poll = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            poll.add(record(i % 3, i, 2048));
        }
        List<List<ConsumerRecord<String, byte[]>>> chunks = TransactionalLoop.chunks(poll, 500, 4 << 20);
        assertEquals(List.of(500, 500, 100), sizes(chunks));
        assertEquals(poll, chunks.stream().flatMap(List::stream).toList(), "every record once, in order");
    }

    @Test
    void bytesBoundAChunkAndALargerRecordGoesAlone() {
        List<ConsumerRecord<String, byte[]>> poll = List.of(record(0, 0, 400), record(0, 1, 500), record(0, 2, 200),
                record(0, 3, 5000), record(0, 4, 1000), record(0, 5, 1));
        // 400+500 fit 1000, +200 does not; 5000 alone; 1000 exactly fits; 1 more does not
        assertEquals(List.of(2, 1, 1, 1, 1), sizes(TransactionalLoop.chunks(poll, 500, 1000)));
        assertEquals(List.of(), TransactionalLoop.chunks(List.of(), 500, 1000));
    }

    @Test
    void anAbortedChunkRewindsEveryPartitionOfItAndOfTheChunksAfterIt() {
        List<ConsumerRecord<String, byte[]>> poll = List.of(record(0, 10, 1), record(1, 20, 1), record(0, 11, 1),
                record(2, 30, 1), record(1, 21, 1), record(2, 31, 1));
        List<List<ConsumerRecord<String, byte[]>>> chunks = TransactionalLoop.chunks(poll, 2, 1000);
        // chunks: [p0@10, p1@20] [p0@11, p2@30] [p1@21, p2@31]; the second aborted
        assertEquals(Map.of(new TopicPartition("t", 0), 11L, new TopicPartition("t", 2), 30L,
                new TopicPartition("t", 1), 21L), TransactionalLoop.firstOffsets(chunks.subList(1, 3)));
    }
}
