package dev.keel.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
