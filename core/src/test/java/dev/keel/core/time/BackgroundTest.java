package dev.keel.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundTest {

    @Test
    void theWorkRunsOnItsOwnThreadAndJoinHandsOverWhatItMade() {
        Background<String> work = Background.start("keel-test-work", () -> Thread.currentThread().getName());

        assertThat(work.join()).isEqualTo("keel-test-work");
    }

    @Test
    void whatTheWorkThrewIsThrownByJoinAsItWasThrown() {
        IllegalStateException thrown = new IllegalStateException("the state file is locked");

        Background<String> work = Background.start("keel-test-work", () -> {
            throw thrown;
        });

        assertThatThrownBy(work::join).isSameAs(thrown);
    }

    @Test
    void discardWaitsForTheWorkAndClosesWhatItMade() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Background<List<String>> work = Background.start("keel-test-work", () -> {
            await(release);
            finished.set(true);
            return new ArrayList<>(List.of("open"));
        });
        List<String> closed = new ArrayList<>();
        Thread caller = Thread.ofPlatform().start(() -> work.discard(made -> closed.addAll(made)));

        assertThat(caller.join(java.time.Duration.ofMillis(50))).as("still waiting for the work").isFalse();
        release.countDown();
        caller.join();

        assertThat(finished).isTrue();
        assertThat(closed).containsExactly("open");
    }

    @Test
    void discardDropsTheWorksFailureForTheCallersOwn() {
        Background<String> work = Background.start("keel-test-work", () -> {
            throw new IllegalStateException("beside");
        });
        List<String> closed = new ArrayList<>();

        work.discard(closed::add);

        assertThat(closed).isEmpty();
    }

    @Test
    void anInterruptWhileJoiningWaitsTheWorkOutAndIsKeptForTheCaller() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Background<String> work = Background.start("keel-test-work", () -> {
            started.countDown();
            await(release);
            return "made";
        });
        AtomicReference<String> joined = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            joined.set(work.join());
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        started.await();
        caller.interrupt();
        release.countDown();
        caller.join();

        assertThat(joined.get()).isEqualTo("made");
        assertThat(interruptKept).isTrue();
    }

    @Test
    void doneRunsTheWorkOnTheCallersThreadAtOnce() {
        Background<String> work = Background.done(() -> Thread.currentThread().getName());

        assertThat(work.join()).isEqualTo(Thread.currentThread().getName());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
