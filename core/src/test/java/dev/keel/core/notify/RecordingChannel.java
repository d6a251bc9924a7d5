package dev.keel.core.notify;

import dev.keel.core.error.Severity;
import java.util.ArrayList;
import java.util.List;

/** A channel that records what it was sent and fails the next {@code failures} sends. */
class RecordingChannel extends AbstractChannel {
    private final List<String> received = new ArrayList<>();
    private int failures;

    RecordingChannel(String name) {
        this(name, Severity.INFO);
    }

    RecordingChannel(String name, Severity minimumSeverity) {
        super(name, minimumSeverity);
    }

    /** Fails the next {@code count} sends. */
    RecordingChannel failNext(int count) {
        this.failures = count;
        return this;
    }

    /** Ids of the notifications delivered, in order. */
    List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void send(Notification notification) {
        if (failures > 0) {
            failures--;
            throw new IllegalStateException(name() + " is down");
        }
        received.add(notification.id());
    }
}
