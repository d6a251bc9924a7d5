package dev.keel.core.chaos;

import dev.keel.core.error.Severity;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.NotificationChannel;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A notification channel under rehearsal ({@code notify:NAME}, kind {@code down}): a send fails with the session's
 * probability while it runs, as a channel whose service is down; the outbox keeps the notification and retries it.
 */
public final class ChaosChannel implements NotificationChannel {
    private final NotificationChannel delegate;
    private final List<ChaosSession> sessions;
    private final Clock clock;
    private final SplittableRandom random;

    public ChaosChannel(NotificationChannel delegate, List<ChaosSession> sessions, Clock clock) {
        this.delegate = delegate;
        this.sessions = sessions.stream()
                .filter(s -> s.started().target().equals(ChaosTarget.NOTIFY_PREFIX + delegate.name())).toList();
        this.clock = clock;
        long seed = delegate.name().hashCode();
        for (ChaosSession s : this.sessions) {
            seed = seed * 31 + s.started().seed();
        }
        this.random = new SplittableRandom(seed);
    }

    /** {@code channel}, wrapped when a rehearsal targets it. */
    public static NotificationChannel of(NotificationChannel channel, List<ChaosSession> sessions, Clock clock) {
        ChaosChannel wrapped = new ChaosChannel(channel, sessions, clock);
        return wrapped.sessions.isEmpty() ? channel : wrapped;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Severity minimumSeverity() {
        return delegate.minimumSeverity();
    }

    @Override
    public boolean accepts(Notification notification) {
        return delegate.accepts(notification);
    }

    @Override
    public boolean appendsLocally() {
        return delegate.appendsLocally();
    }

    @Override
    public void send(Notification notification) {
        synchronized (this) {
            for (ChaosSession s : sessions) {
                if (s.activeAt(clock.instant()) && random.nextDouble() < s.started().probability()) {
                    throw new IllegalStateException("chaos rehearsal " + s.id() + ": channel '" + name()
                            + "' is down");
                }
            }
        }
        delegate.send(notification);
    }
}
