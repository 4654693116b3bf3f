package org.mailroom.mailbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shared budget of body memory: waits its turn, never over-spends, gives back what timed out. */
class BodyMemoryTest {

    @Test
    void sharesWaitUntilEnoughIsReleasedAndAreServedInOrder() {
        BodyMemory memory = new BodyMemory(100, Duration.ofSeconds(30));
        BodyMemory.Share first = memory.reserve(60).await().indefinitely();
        UniAssertSubscriber<BodyMemory.Share> second = memory.reserve(60).subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<BodyMemory.Share> third = memory.reserve(10).subscribe().withSubscriber(UniAssertSubscriber.create());
        second.assertNotTerminated(); // 60 + 60 > 100: waits
        third.assertNotTerminated(); // first come, first served: not ahead of the waiting one
        assertEquals(2, memory.waiting());
        first.release();
        first.release(); // once only
        assertEquals(60, second.awaitItem().getItem().octets());
        assertEquals(10, third.awaitItem().getItem().octets());
        assertEquals(30, memory.available());
        second.getItem().release();
        third.getItem().release();
        assertEquals(100, memory.available());
    }

    @Test
    void aShareLargerThanTheBudgetIsCutToItSoABigBodyIsServedAlone() {
        BodyMemory memory = new BodyMemory(100, Duration.ofSeconds(30));
        BodyMemory.Share big = memory.reserve(1_000).await().indefinitely();
        assertEquals(100, big.octets());
        assertEquals(0, memory.available());
        big.release();
        assertEquals(100, memory.available());
    }

    @Test
    void aWaitThatTimesOutFailsAndLeavesNothingBehind() {
        BodyMemory memory = new BodyMemory(100, Duration.ofMillis(50));
        BodyMemory.Share held = memory.reserve(100).await().indefinitely();
        UniAssertSubscriber<BodyMemory.Share> late = memory.reserve(1).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertInstanceOf(BodyMemory.Exhausted.class, late.awaitFailure(Duration.ofSeconds(5)).getFailure());
        assertEquals(0, memory.waiting(), "the timed-out request left the queue");
        held.release();
        assertEquals(100, memory.available(), "nothing was granted to the request that gave up");
        assertTrue(memory.reserve(100).await().atMost(Duration.ofSeconds(1)).octets() == 100);
    }

    @Test
    void aLargeWaiterThatGivesUpLetsTheSmallerOnesBehindItThrough() {
        BodyMemory memory = new BodyMemory(100, Duration.ofSeconds(30));
        BodyMemory.Share held = memory.reserve(50).await().indefinitely();
        UniAssertSubscriber<BodyMemory.Share> large = memory.reserve(80, Duration.ofMillis(50))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<BodyMemory.Share> small = memory.reserve(40, Duration.ofSeconds(30))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        small.assertNotTerminated(); // behind the large one, although it would fit
        large.awaitFailure(Duration.ofSeconds(5));
        assertEquals(40, small.awaitItem(Duration.ofSeconds(5)).getItem().octets());
        assertEquals(10, memory.available());
        held.release();
        small.getItem().release();
        assertEquals(100, memory.available());
    }
}
