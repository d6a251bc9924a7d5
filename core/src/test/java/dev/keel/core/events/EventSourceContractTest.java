package dev.keel.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link EventSource} (the embedded inbox over each journal database, a Redis stream):
 * at-least-once delivery, a visibility timeout per delivery, retries with backoff, dead letters. Two sources opened
 * on one storage stand for two worker processes; time is a manual clock, so a visibility timeout runs out when the
 * test says ({@link #pass}).
 */
public abstract class EventSourceContractTest {
    static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    static final Duration VISIBILITY = Duration.ofSeconds(30);

    protected final ManualClock clock = new ManualClock(T0);

    /** Prepares empty storage for the test. */
    protected abstract void createStorage() throws Exception;

    /** A worker process on the storage, by name, on {@link #clock}; closed by {@link #closeAll()}. */
    protected abstract EventSource consumer(String name);

    /** Closes what {@link #consumer} opened. */
    protected abstract void closeAll();

    /** Time passes for the source: the clock, and whatever else the source measures time by. */
    protected void pass(Duration duration) {
        clock.advance(duration);
    }

    @BeforeEach
    final void prepare() throws Exception {
        createStorage();
    }

    @AfterEach
    final void close() {
        closeAll();
    }

    @Test
    void aPushedMessageIsDeliveredOnceAndGoneWhenAcknowledged() {
        EventSource inbox = consumer("w1");
        assertThat(inbox.push("e-1", "acct-1", "{\"event_id\":\"e-1\"}")).isTrue();
        Delivery d = inbox.take(VISIBILITY).orElseThrow();
        assertThat(d.messageId()).isEqualTo("e-1");
        assertThat(d.accountId()).isEqualTo("acct-1");
        assertThat(d.body()).isEqualTo("{\"event_id\":\"e-1\"}");
        assertThat(d.attempt()).isEqualTo(1);
        assertThat(d.firstTaken()).isEqualTo(T0);
        assertThat(d.lastFailure()).isNull();
        assertThat(inbox.take(VISIBILITY)).as("taken: not due for anyone else").isEmpty();
        inbox.ack(d);
        assertThat(inbox.pending()).isZero();
        pass(VISIBILITY.multipliedBy(2));
        assertThat(inbox.take(VISIBILITY)).isEmpty();
    }

    @Test
    void anIdPushedTwiceIsQueuedOnce() {
        EventSource inbox = consumer("w1");
        assertThat(inbox.push("e-1", "acct-1", "a")).isTrue();
        assertThat(inbox.push("e-1", "acct-1", "b")).isFalse();
        assertThat(inbox.pending()).isEqualTo(1);
        assertThat(inbox.take(VISIBILITY).orElseThrow().body()).isEqualTo("a");
    }

    @Test
    void aDeliveryWhoseConsumerDiedIsDeliveredAgainAfterItsVisibilityAndTheOldReceiptSettlesNothing() {
        EventSource first = consumer("w1");
        EventSource second = consumer("w2");
        first.push("e-1", "acct-1", "x");
        Delivery lost = first.take(VISIBILITY).orElseThrow();
        pass(VISIBILITY.minusSeconds(1));
        assertThat(second.take(VISIBILITY)).as("still within the first delivery's visibility").isEmpty();
        pass(Duration.ofSeconds(1));
        Delivery again = second.take(VISIBILITY).orElseThrow();
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.receipt()).isNotEqualTo(lost.receipt());
        assertThat(again.firstTaken()).isEqualTo(T0);

        first.ack(lost); // the stalled first consumer wakes up and acknowledges: too late, not its delivery now
        assertThat(second.pending()).isEqualTo(1);
        second.ack(again);
        assertThat(second.pending()).isZero();
    }

    @Test
    void aRetryIsDeliveredAfterItsBackoffWithTheFailureItReported() {
        EventSource inbox = consumer("w1");
        inbox.push("e-1", "acct-1", "x");
        Delivery d = inbox.take(VISIBILITY).orElseThrow();
        inbox.retry(d, Duration.ofSeconds(4), new Failure(ErrorCode.ACCOUNT_LOCKED, "acct-1 is busy"));
        pass(Duration.ofSeconds(3));
        assertThat(inbox.take(VISIBILITY)).isEmpty();
        pass(Duration.ofSeconds(1));
        Delivery next = inbox.take(VISIBILITY).orElseThrow();
        assertThat(next.attempt()).isEqualTo(2);
        assertThat(next.lastFailure()).isEqualTo(new Failure(ErrorCode.ACCOUNT_LOCKED, "acct-1 is busy"));
    }

    @Test
    void aDeadLetterKeepsItsFailureAttemptsAndTimesUntilRetriedResolvedOrPurged() {
        EventSource inbox = consumer("w1");
        inbox.push("e-1", "acct-1", "x");
        inbox.push("e-2", null, "not json");
        Delivery first = inbox.take(VISIBILITY).orElseThrow();
        inbox.retry(first, Duration.ZERO.plusMillis(1), new Failure(ErrorCode.BROKER_UNAVAILABLE, "down"));
        pass(Duration.ofSeconds(1));
        Delivery bad = inbox.take(VISIBILITY).orElseThrow();
        Delivery second = inbox.take(VISIBILITY).orElseThrow();
        assertThat(List.of(bad.messageId(), second.messageId())).containsExactlyInAnyOrder("e-1", "e-2");
        pass(Duration.ofSeconds(1));
        Instant deadAt = clock.instant();
        inbox.deadLetter(bad.messageId().equals("e-2") ? bad : second,
                new Failure(ErrorCode.EVENT_INVALID, "not JSON: Unrecognized token 'not'"));
        Delivery e1 = bad.messageId().equals("e-1") ? bad : second;
        inbox.deadLetter(e1, new Failure(ErrorCode.BROKER_UNAVAILABLE, "down again"));

        assertThat(inbox.pending()).isZero();
        assertThat(inbox.push("e-1", "acct-1", "x")).as("a dead letter is sent again by retry, not by a push")
                .isFalse();
        List<DeadLetter> dead = inbox.deadLetters().list();
        assertThat(dead).extracting(DeadLetter::messageId).containsExactlyInAnyOrder("e-1", "e-2");
        DeadLetter d1 = inbox.deadLetters().find("e-1").orElseThrow();
        assertThat(d1.code()).isEqualTo(ErrorCode.BROKER_UNAVAILABLE);
        assertThat(d1.reason()).isEqualTo("down again");
        assertThat(d1.attempts()).isEqualTo(2);
        assertThat(d1.firstTaken()).isEqualTo(T0);
        assertThat(d1.deadAt()).isEqualTo(deadAt);
        assertThat(d1.resolved()).isFalse();

        DeadLetter resolved = inbox.deadLetters().resolve("e-2", "ana", "sender fixed", clock.instant())
                .orElseThrow();
        assertThat(resolved.resolvedBy()).isEqualTo("ana");
        assertThat(resolved.note()).isEqualTo("sender fixed");
        assertThat(inbox.deadLetters().resolve("e-404", "ana", "x", clock.instant())).isEmpty();

        assertThat(inbox.deadLetters().retry("e-1")).isTrue();
        assertThat(inbox.deadLetters().retry("e-1")).isFalse();
        Delivery back = inbox.take(VISIBILITY).orElseThrow();
        assertThat(back.messageId()).isEqualTo("e-1");
        assertThat(back.attempt()).as("a retried dead letter starts its count again").isEqualTo(1);

        pass(Duration.ofDays(8));
        assertThat(inbox.deadLetters().purge(clock.instant().minus(Duration.ofDays(7)))).isEqualTo(1);
        assertThat(inbox.deadLetters().list()).isEmpty();
    }

    @Test
    void twoConsumersTakingAtOnceNeverHoldOneDelivery() throws InterruptedException {
        EventSource first = consumer("w1");
        EventSource second = consumer("w2");
        int messages = 40;
        for (int i = 0; i < messages; i++) {
            first.push("e-" + i, "acct-" + (i % 4), "x" + i);
        }
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (EventSource source : List.of(first, second)) {
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (Optional<Delivery> d = source.take(VISIBILITY); d.isPresent(); d = source.take(VISIBILITY)) {
                    taken.add(d.get().messageId());
                    source.ack(d.get());
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(taken).hasSize(messages).doesNotHaveDuplicates();
        assertThat(first.pending()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
