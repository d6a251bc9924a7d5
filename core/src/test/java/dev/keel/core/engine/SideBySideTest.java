package dev.keel.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import dev.keel.core.time.Sleeper;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SideBySideTest {

    @Test
    void threadsRunTasksAtOnceSoThatOneWaitingDoesNotHoldTheOtherBack() {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        // each task waits for the other: run in turn, the first would wait out its bound and report it
        SideBySide.threads("test", 2).runAll(List.of(
                () -> {
                    first.countDown();
                    done.add(await(second) ? "a met b" : "a waited alone");
                },
                () -> {
                    second.countDown();
                    done.add(await(first) ? "b met a" : "b waited alone");
                }));
        assertThat(done).containsExactlyInAnyOrder("a met b", "b met a");
    }

    @Test
    void inTurnRunsTasksOneAfterTheOtherInListOrder() {
        List<Integer> order = new ArrayList<>();
        SideBySide.inTurn().runAll(List.of(() -> order.add(1), () -> order.add(2), () -> order.add(3)));
        assertThat(order).containsExactly(1, 2, 3);
    }

    @Test
    void aFailingTaskLetsTheOthersFinishAndIsThrownAfterwardsWithTheLaterFailuresSuppressed() {
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch failed = new CountDownLatch(2);
        assertThatThrownBy(() -> SideBySide.threads("test", 3).runAll(List.of(
                () -> {
                    failed.countDown();
                    throw new IllegalStateException("first");
                },
                () -> {
                    failed.countDown();
                    throw new IllegalArgumentException("second");
                },
                () -> done.add(await(failed) ? "finished after both failed" : "finished alone"))))
                .isInstanceOf(IllegalStateException.class).hasMessage("first")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1)
                        .allSatisfy(s -> assertThat(s).hasMessage("second")));
        assertThat(done).containsExactly("finished after both failed");
    }

    /**
     * A task that waits through the places' sleeper lets the next task work meanwhile: with one place, the first
     * waits for something only the second does. A runner that kept the place through the wait (a pool as wide as its
     * places) would have the first wait alone and the second start only after it.
     */
    @Test
    void aTaskAsleepGivesItsPlaceToTheNext() {
        CountDownLatch secondWorked = new CountDownLatch(1);
        Sleeper untilTheSecondWorked = Places.yielding(d -> await(secondWorked));
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        SideBySide.threads("test", 1).runAll(List.of(
                () -> {
                    untilTheSecondWorked.sleep(Duration.ofMinutes(1));
                    done.add(secondWorked.getCount() == 0 ? "a woke after b worked" : "a waited alone");
                },
                () -> {
                    done.add("b worked");
                    secondWorked.countDown();
                }));
        assertThat(done).containsExactly("b worked", "a woke after b worked");
    }

    /**
     * A task back from its wait goes on without a place when none is free, instead of waiting for one: here the task
     * that took its place waits for it, and a task that waited for a place back would wait for that one forever.
     */
    @Test
    void aTaskBackFromItsWaitGoesOnWithoutWaitingForAPlace() {
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch firstBack = new CountDownLatch(1);
        Sleeper untilTheSecondStarted = Places.yielding(d -> await(secondStarted));
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        SideBySide.threads("test", 1).runAll(List.of(
                () -> {
                    untilTheSecondStarted.sleep(Duration.ofMinutes(1));
                    firstBack.countDown(); // while the second holds the only place
                    done.add("a back");
                },
                () -> {
                    secondStarted.countDown();
                    done.add(await(firstBack) ? "b met a back" : "b waited alone");
                }));
        assertThat(done).containsExactlyInAnyOrder("a back", "b met a back");
    }

    /** No more tasks work at once than there are places: each meets one other at a barrier of two, then ends. */
    @Test
    void atMostAsManyTasksWorkAtOnceAsThereArePlaces() {
        AtomicInteger working = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CyclicBarrier pairs = new CyclicBarrier(2);
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(() -> {
                most.accumulateAndGet(working.incrementAndGet(), Math::max);
                try {
                    pairs.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("a task met no other", e);
                }
                working.decrementAndGet();
            });
        }
        SideBySide.threads("test", 2).runAll(tasks);
        assertThat(most.get()).isEqualTo(2);
    }

    /** Outside a side-by-side run the places' sleeper is the sleeper it wraps. */
    @Test
    void outsideARunThePlacesSleeperJustSleeps() {
        List<Duration> slept = new ArrayList<>();
        Places.yielding(slept::add).sleep(Duration.ofSeconds(3));
        assertThat(slept).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void widthMustBeAtLeastOne() {
        assertThatThrownBy(() -> SideBySide.threads("test", 0))
                .hasMessage("width must be at least 1, but was 0");
    }

    /** Waits a bound that only a broken runner reaches; the outcome, not the time, is asserted. */
    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
