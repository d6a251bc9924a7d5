package dev.keel.notify.alert;

import dev.keel.core.error.Severity;
import dev.keel.core.notify.AbstractChannel;
import dev.keel.core.notify.Notification;
import java.util.ArrayList;
import java.util.List;

/** A channel that records the titles it was sent, and can be made to fail. */
final class Recorder extends AbstractChannel {
    private final List<String> titles = new ArrayList<>();
    private boolean failing;

    Recorder(String name) {
        super(name, Severity.INFO);
    }

    @Override
    public synchronized void send(Notification n) {
        if (failing) {
            throw new IllegalStateException(name() + " is down");
        }
        titles.add(n.title());
    }

    synchronized List<String> titles() {
        return List.copyOf(titles);
    }

    synchronized void failing(boolean failing) {
        this.failing = failing;
    }
}
