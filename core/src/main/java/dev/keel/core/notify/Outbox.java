package dev.keel.core.notify;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.NotificationAttemptFailed;
import dev.keel.core.journal.NotificationDelivered;
import dev.keel.core.journal.NotificationEvent;
import dev.keel.core.journal.NotificationGrouped;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.NotificationSettled;
import dev.keel.core.journal.TransactionEnded;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox (law 8): notifications are journaled before they are sent, every channel's delivery and
 * failure is journaled, and a failing channel is retried on the next {@link #dispatch()} without failing anything
 * else. Delivery is at least once: a crash between a send and its record sends it again to that channel only.
 *
 * <p>Many threads dispatch at once (every engine call ends in a dispatch) and none waits for another: a dispatch
 * claims one notification at a time, sends it to its channels and journals the outcome, then releases it; a
 * notification another dispatch holds is skipped, not waited for. No monitor is held across a send or a journal
 * append, so a slow channel delays only the notification it is sending, and a scheduler that switches callers at
 * journal appends (the simulation) cannot deadlock on the outbox. Each send is bounded by {@link
 * Builder#sendTimeout}: a send that has not returned by then is a failed attempt, retried later.
 */
public final class Outbox {
    /** The default attempts per channel before a notification is settled undelivered: 5. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** The default bound on one channel send: 10 s. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ERROR_LENGTH = 500;
    /** The stream id of notification X is this prefix and X, as {@link NotificationEvent#streamId()} makes it. */
    private static final String NOTIFICATION_STREAM_PREFIX = "notification:";
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Journal journal;
    private final List<NotificationChannel> channels;
    private final Clock clock;
    private final int maxAttempts;
    private final ChannelSender sender;
    private final Routing routing;
    private final FirstSendEvents firstSendEvents;
    private final Throttle throttle;
    /** Drawn once from the builder's seeded generator: ids come from it and a counter, so no generator is shared. */
    private final long idSeed;
    private final AtomicLong idCounter = new AtomicLong();
    /** The notification streams a dispatch is sending now; another dispatch skips them. */
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();

    private Outbox(Builder b) {
        this.journal = b.journal;
        this.channels = List.copyOf(b.channels);
        this.clock = b.clock;
        this.maxAttempts = b.maxAttempts;
        this.sender = new ChannelSender(b.sendTimeout);
        this.routing = b.routing;
        this.firstSendEvents = b.firstSendEvents;
        this.throttle = b.throttle;
        this.idSeed = b.random.nextLong();
    }

    /**
     * @param journal where the outbox lives
     * @param clock   stamps every outbox event
     * @param random  a seeded generator for the ids of notifications that report on no transaction
     */
    public static Builder builder(Journal journal, Clock clock, RandomGenerator random) {
        return new Builder(journal, clock, random);
    }

    public List<NotificationChannel> channels() {
        return channels;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The bound on one channel send; zero when sends run unbounded on the dispatching thread. */
    public Duration sendTimeout() {
        return sender.timeout();
    }

    /**
     * The event that queues a notification, without writing it, so a caller can journal it atomically with the
     * outcome it reports ({@link Journal#appendAll}). With a {@code txId} the id is derived from (txId, title):
     * the same report on the same transaction always has the same id.
     *
     * @param txId the transaction reported on, or null
     */
    public NotificationQueued prepare(String accountId, String txId, Severity severity, String title, String body) {
        return prepare(accountId, txId, severity, null, title, body, null);
    }

    /**
     * As {@link #prepare(String, String, Severity, String, String)}, with the catalog code reported (its runbook is
     * linked) and, for a notification that must reach only some channels (an escalation), their names.
     *
     * @param code     the code reported, or null
     * @param channels the only channels it goes to, or null for this outbox's {@link Routing}
     */
    public NotificationQueued prepare(String accountId, String txId, Severity severity, ErrorCode code, String title,
                                      String body, List<String> channels) {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        return new NotificationQueued(newId(txId, title), accountId, txId, severity, title, body, clock.instant(),
                code, channels);
    }

    /**
     * Journals a notification for delivery and returns its id. Idempotent by id: queuing the same (txId, title)
     * again writes nothing and returns the same id.
     *
     * @param txId the transaction reported on, or null
     */
    public String enqueue(String accountId, String txId, Severity severity, String title, String body) {
        NotificationQueued queued = prepare(accountId, txId, severity, title, body);
        // Claimed, not locked: a concurrent enqueue of the same id skips the write the first one is making.
        if (claimed.add(queued.streamId())) {
            try {
                if (journal.stream(queued.streamId()).isEmpty()) {
                    journal.append(queued);
                }
            } finally {
                claimed.remove(queued.streamId());
            }
        }
        return queued.notificationId();
    }

    /** The notifications still in the outbox, oldest first. */
    public List<Notification> pending() {
        List<Notification> out = new ArrayList<>();
        List<NotificationEvent> outcomes = new ArrayList<>();
        for (String stream : journal.openStreams(JournalEvent.NOTIFICATION)) {
            OutboxEntry entry = OutboxEntry.fold(journal.stream(stream));
            if (entry.queued() != null && !entry.settled()) {
                out.add(Notification.of(entry.queued(), endingCode(entry.queued())));
            }
        }
        return out;
    }

    /**
     * Sends every pending notification to each channel that has not delivered it yet and records the outcome.
     * Never throws for a failing channel; a journal that cannot be written does throw. Waiting between rounds is
     * the caller's concern. With no channels configured nothing is sent or settled.
     *
     * <p>Each notification is claimed, re-read from the journal, sent, and its outcomes (and settlement) journaled in
     * one append before it is released: a dispatch that claims it next sees every delivery already made, so
     * concurrent dispatches never send one notification to one channel twice. A notification claimed by another
     * dispatch is left to it. A crash or a failed write before the append makes a later round send that
     * notification again (at least once, never lost).
     */
    public DeliveryReport dispatch() {
        List<DeliveryReport.Attempt> attempts = new ArrayList<>();
        List<String> settled = new ArrayList<>();
        List<String> undelivered = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        if (channels.isEmpty()) {
            return new DeliveryReport(attempts, settled, undelivered, pending);
        }
        for (String stream : journal.openStreams(JournalEvent.NOTIFICATION)) {
            if (!claimed.add(stream)) {
                continue; // another dispatch is sending it now
            }
            try {
                dispatchOne(stream, attempts, settled, undelivered, pending);
            } finally {
                claimed.remove(stream);
            }
        }
        return new DeliveryReport(attempts, settled, undelivered, pending);
    }

    /** Sends one claimed notification and journals what happened; the caller holds its claim. */
    private void dispatchOne(String stream, List<DeliveryReport.Attempt> attempts, List<String> settled,
                             List<String> undelivered, List<String> pending) {
        // Read under the claim: the last holder journaled its outcomes before releasing it.
        OutboxEntry entry = OutboxEntry.fold(journal.stream(stream));
        if (entry.queued() == null) {
            LOG.warn("outbox stream {} has no NotificationQueued event; skipped", stream);
            return;
        }
        if (entry.settled()) {
            return;
        }
        List<NotificationEvent> outcomes = new ArrayList<>();
        Notification n = Notification.of(entry.queued(), endingCode(entry.queued()));
        boolean first = !entry.attempted();
        for (NotificationChannel channel : channels) {
            if (routes(n, channel) && !entry.deliveredTo(channel.name())
                    && entry.failures(channel.name()) < maxAttempts) {
                switch (throttle.decide(n, channel.name(), clock.instant())) {
                    case Throttle.Send send -> {
                        DeliveryReport.Attempt attempt = attempt(channel, send.message(), n, entry, outcomes);
                        attempts.add(attempt);
                        if (attempt.delivered()) {
                            throttle.sent(n, channel.name(), send, clock.instant());
                        }
                    }
                    case Throttle.Hold hold -> {
                        // stays in the outbox for this channel; settle() sees it pending
                    }
                    case Throttle.Carried carried -> {
                        NotificationGrouped grouped = new NotificationGrouped(n.id(), n.accountId(), channel.name(),
                                carried.leaderId(), clock.instant());
                        outcomes.add(grouped);
                        entry.apply(grouped);
                    }
                }
            }
        }
        settle(n, entry, settled, undelivered, pending, outcomes);
        if (!outcomes.isEmpty()) {
            List<JournalEvent> append = new ArrayList<>(outcomes);
            if (first && entry.attempted()) {
                append.addAll(firstSendEvents.events(n));
            }
            journal.appendAll(append);
        }
    }

    /**
     * Sends {@code message} (the notification {@code n}, perhaps with a summary of what it carries) once, adds the
     * outcome to the round's {@code outcomes} and applies it to {@code entry}.
     */
    private DeliveryReport.Attempt attempt(NotificationChannel channel, Notification message, Notification n,
                                           OutboxEntry entry, List<NotificationEvent> outcomes) {
        int attempt = entry.failures(channel.name()) + 1;
        String error = null;
        try {
            sender.send(channel, message);
        } catch (RuntimeException e) {
            error = describe(e);
            LOG.warn("notification {} to channel {} failed (attempt {} of {}): {}", n.id(), channel.name(), attempt,
                    maxAttempts, error);
        }
        NotificationEvent outcome = error == null
                ? new NotificationDelivered(n.id(), n.accountId(), channel.name(), clock.instant())
                : new NotificationAttemptFailed(n.id(), n.accountId(), channel.name(), attempt, error,
                        clock.instant());
        outcomes.add(outcome);
        entry.apply(outcome);
        return new DeliveryReport.Attempt(n.id(), channel.name(), attempt, error == null, error);
    }

    private void settle(Notification n, OutboxEntry entry, List<String> settled, List<String> undelivered,
                        List<String> pending, List<NotificationEvent> outcomes) {
        Set<String> exhausted = new TreeSet<>();
        for (NotificationChannel channel : channels) {
            if (!routes(n, channel) || entry.deliveredTo(channel.name())) {
                continue;
            }
            if (entry.failures(channel.name()) < maxAttempts) {
                pending.add(n.id());
                return;
            }
            exhausted.add(channel.name());
        }
        boolean delivered = exhausted.isEmpty();
        outcomes.add(new NotificationSettled(n.id(), n.accountId(), delivered, clock.instant()));
        if (delivered) {
            settled.add(n.id());
        } else {
            undelivered.add(n.id());
            LOG.error("{}: notification {} ('{}', account {}, transaction {}) settled undelivered: channel(s) {} "
                    + "failed {} attempts", ErrorCode.NOTIFICATION_FAILED, n.id(), n.title(), n.accountId(), n.txId(),
                    exhausted, maxAttempts);
        }
    }

    /** Whether {@code channel} gets {@code n}: the channels it names, else this outbox's routing. */
    private boolean routes(Notification n, NotificationChannel channel) {
        return n.channels() != null ? n.channels().contains(channel.name()) : routing.routes(n, channel);
    }

    /**
     * The error code of the transaction a notification reports on, when the notification names none: the engine
     * queues a notification in the same append as the transaction's ending, whose code tells which runbook applies.
     */
    private ErrorCode endingCode(NotificationQueued queued) {
        if (queued.code() != null || queued.txId() == null) {
            return null;
        }
        List<JournalRecord> tx = journal.stream(queued.txId());
        for (int i = tx.size() - 1; i >= 0; i--) {
            if (tx.get(i).event() instanceof TransactionEnded ended) {
                return ended.errorCode();
            }
        }
        return null;
    }

    private static String describe(RuntimeException e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return message.length() <= MAX_ERROR_LENGTH ? message : message.substring(0, MAX_ERROR_LENGTH);
    }

    private String newId(String txId, String title) {
        if (txId != null) {
            return "n-" + UUID.nameUUIDFromBytes((txId + "\n" + title).getBytes(StandardCharsets.UTF_8));
        }
        // The same seed repeats its ids after a restart; draw again past any in use.
        while (true) {
            String id = "n-" + UUID.nameUUIDFromBytes((idSeed + ":" + idCounter.incrementAndGet())
                    .getBytes(StandardCharsets.UTF_8));
            if (journal.stream(NOTIFICATION_STREAM_PREFIX + id).isEmpty()) {
                return id;
            }
        }
    }

    /** Builds an {@link Outbox}. */
    public static final class Builder {
        private final Journal journal;
        private final Clock clock;
        private final RandomGenerator random;
        private final List<NotificationChannel> channels = new ArrayList<>();
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
        private Routing routing = Routing.BY_MINIMUM_SEVERITY;
        private FirstSendEvents firstSendEvents = FirstSendEvents.NONE;
        private Throttle throttle = Throttle.NONE;

        private Builder(Journal journal, Clock clock, RandomGenerator random) {
            this.journal = Objects.requireNonNull(journal, "journal");
            this.clock = Objects.requireNonNull(clock, "clock");
            this.random = Objects.requireNonNull(random, "random");
        }

        public Builder channel(NotificationChannel channel) {
            Objects.requireNonNull(channel, "channel");
            for (NotificationChannel c : channels) {
                if (c.name().equals(channel.name())) {
                    throw new IllegalArgumentException("channel names must be unique, but '" + channel.name()
                            + "' was given twice");
                }
            }
            channels.add(channel);
            return this;
        }

        public Builder channels(List<? extends NotificationChannel> all) {
            all.forEach(this::channel);
            return this;
        }

        /** Attempts per channel before a notification is settled undelivered; {@value Outbox#DEFAULT_MAX_ATTEMPTS}. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * How long one channel send may take before it counts as a failed attempt (retried by a later round; the
         * send is interrupted); {@link Outbox#DEFAULT_SEND_TIMEOUT} by default. Zero runs each send on the
         * dispatching thread without a bound: for a simulation whose channels never block and whose outcome must not
         * depend on how fast the machine is.
         */
        public Builder sendTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "sendTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("sendTimeout must not be negative, but was " + timeout);
            }
            this.sendTimeout = timeout;
            return this;
        }

        /**
         * Which channels get a notification that names none of its own; by default {@link
         * Routing#BY_MINIMUM_SEVERITY}, every channel whose minimum severity it reaches.
         */
        public Builder routing(Routing routing) {
            this.routing = Objects.requireNonNull(routing, "routing");
            return this;
        }

        /** Events journaled with each notification's first outcomes (an alert raised for it); none by default. */
        public Builder firstSendEvents(FirstSendEvents events) {
            this.firstSendEvents = Objects.requireNonNull(events, "firstSendEvents");
            return this;
        }

        /** Rate limits and grouping per channel; {@link Throttle#NONE} (send everything at once) by default. */
        public Builder throttle(Throttle throttle) {
            this.throttle = Objects.requireNonNull(throttle, "throttle");
            return this;
        }

        public Outbox build() {
            return new Outbox(this);
        }
    }
}
