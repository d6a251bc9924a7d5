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
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.TransactionEnded;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * <p>Nothing is given up: a notification stays in the outbox until every channel it is routed to has taken it (or
 * a message carrying it). A failed send rests its channel for a doubling wait capped at {@link
 * Builder#retryBackoff}'s maximum, so a channel down for an hour costs a dozen attempts, not one per notification,
 * and its backlog goes out within that cap of its return. Each round sends in order of severity, CRITICAL first
 * (then oldest first); a channel whose rate limit holds back a message sends nothing less severe in that round, so
 * a backlog reaches people most urgent first. {@link #backlog()} shows what is waiting and why.
 *
 * <p>Many threads dispatch at once (every engine call ends in a dispatch) and none waits for another: a dispatch
 * claims one notification at a time, sends it to its channels and journals the outcome, then releases it; a
 * notification another dispatch holds is skipped, not waited for. No monitor is held across a send or a journal
 * append, so a slow channel delays only the notification it is sending, and a scheduler that switches callers at
 * journal appends (the simulation) cannot deadlock on the outbox. Each send is bounded by {@link
 * Builder#sendTimeout}: a send that has not returned by then is a failed attempt, retried later (a channel that only
 * appends to a local file is called on the dispatching thread, as the log is written: {@link
 * NotificationChannel#appendsLocally}).
 */
public final class Outbox {
    /** The default wait after a channel's first failure, doubled while it keeps failing: 10 s. */
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(10);
    /** The default longest wait between attempts on a failing channel: 5 minutes. */
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);
    /** The default bound on one channel send: 10 s. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ERROR_LENGTH = 500;
    /** How many transactions' ending codes the outbox keeps in memory. */
    private static final int MAX_REMEMBERED_ENDINGS = 10_000;
    /** The stream id of notification X is this prefix and X, as {@link NotificationEvent#streamId()} makes it. */
    private static final String NOTIFICATION_STREAM_PREFIX = "notification:";
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Journal journal;
    private final List<NotificationChannel> channels;
    private final Clock clock;
    private final RetrySchedule retry;
    private final ChannelBackoff backoff;
    private final ChannelSender sender;
    private final Routing routing;
    private final FirstSendEvents firstSendEvents;
    private final Throttle throttle;
    /** Drawn once from the builder's seeded generator: ids come from it and a counter, so no generator is shared. */
    private final long idSeed;
    private final AtomicLong idCounter = new AtomicLong();
    /** The notification streams a dispatch is sending now; another dispatch skips them. */
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    /**
     * The ending codes of transactions found ended, by transaction id: a transaction ends once and its ending never
     * changes, so each transaction's stream is read for it once, not by every dispatch of every
     * notification about it. Bounded; the oldest are dropped and read again if asked.
     */
    private final Map<String, Optional<ErrorCode>> endings = Collections.synchronizedMap(new Endings());
    /** Notifications prepared with their transaction's ending and no code ({@link #prepareEnding}), by id. */
    private final Map<String, Boolean> endingNotices = Collections.synchronizedMap(new Remembered<>());
    /** What {@link #queue()} last read of each open notification, by stream. */
    private final Map<String, Queued> read = new ConcurrentHashMap<>();

    private Outbox(Builder b) {
        this.journal = b.journal;
        this.channels = List.copyOf(b.channels);
        this.clock = b.clock;
        this.retry = b.retry;
        this.backoff = new ChannelBackoff(b.retry);
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

    /** The wait after a channel's first failure; it doubles while the channel keeps failing. */
    public Duration retryInitial() {
        return retry.initial();
    }

    /** The longest wait between attempts on a failing channel. */
    public Duration retryMax() {
        return retry.max();
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
     * {@link #prepare(String, String, Severity, ErrorCode, String, String, List)} for the notification of a
     * transaction's ending, journaled in the same append as the ending: {@code code} is the ending's own, final even
     * when null, so no round reads the transaction back for it (one that read the queue between the append and
     * {@link #ended} did, for nearly every rebalance with 32 at once).
     */
    public NotificationQueued prepareEnding(String accountId, String txId, Severity severity, ErrorCode code,
                                            String title, String body) {
        NotificationQueued queued = prepare(accountId, txId, severity, code, title, body, null);
        if (code == null && txId != null) {
            endingNotices.put(queued.notificationId(), Boolean.TRUE);
        }
        return queued;
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
                    journaled(List.of(journal.append(queued)));
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
        for (String stream : journal.openStreams(JournalEvent.NOTIFICATION)) {
            OutboxEntry entry = OutboxEntry.fold(journal.stream(stream));
            if (entry.queued() != null && !entry.settled()) {
                out.add(Notification.of(entry.queued(), endingCode(entry.queued())));
            }
        }
        return out;
    }

    /**
     * What is still in the outbox, in the order the next dispatch sends it (most severe first, then oldest), with the
     * channels each is owed to: how often each failed, its last error and when it is tried next.
     */
    public List<BacklogEntry> backlog() {
        List<BacklogEntry> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Queued q : queue()) {
            List<BacklogEntry.Owed> owed = new ArrayList<>();
            for (NotificationChannel channel : channels) {
                if (routes(q.notification(), channel) && !q.entry().deliveredTo(channel.name())) {
                    NotificationAttemptFailed last = q.entry().lastFailure(channel.name());
                    owed.add(new BacklogEntry.Owed(channel.name(), q.entry().failures(channel.name()),
                            last == null ? null : last.message(), backoff.nextTry(channel.name(), now)));
                }
            }
            out.add(new BacklogEntry(q.notification(), owed));
        }
        return out;
    }

    /**
     * Sends every pending notification to each channel that has not delivered it yet and records the outcome.
     * Never throws for a failing channel; a journal that cannot be written does throw. Waiting between rounds is
     * the caller's concern. With no channels configured nothing is sent or settled.
     *
     * <p>The round goes most severe first, then oldest first. Before it sends, the throttle is told of everything
     * waiting for each open channel, so the first message of an error carries the others of its backlog ("and N
     * more like this") rather than leaving them for later windows. A channel resting after a failure is skipped;
     * when its rest is over, the notification that failed on it last is tried after the others (unless it is the
     * only one), so one message the channel refuses cannot keep it closed for everything else.
     *
     * <p>Each notification is claimed, re-read from the journal, sent, and its outcomes (and settlement) journaled
     * before it is released: a dispatch that claims it next sees every delivery already made, so concurrent
     * dispatches never send one notification to one channel twice. A notification claimed by another dispatch is
     * left to it. The outcomes of up to {@value #JOURNAL_BATCH} notifications go in one append (one commit; a
     * backlog of 1,000 after a recovery took a commit each), made before the round moves on to a pass that reads
     * them again. A crash or a failed write before the append makes a later round send those notifications again
     * (at least once, never lost).
     */
    public DeliveryReport dispatch() {
        List<DeliveryReport.Attempt> attempts = new ArrayList<>();
        List<String> settled = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        if (channels.isEmpty()) {
            return new DeliveryReport(attempts, settled, pending);
        }
        Instant now = clock.instant();
        if (channels.stream().noneMatch(c -> backoff.open(c.name(), now))) {
            // Every channel rests (an outage): nothing can go, so the backlog is not read at all. The engine
            // dispatches after every operation, and a long outage must not make each of them read it.
            for (String stream : journal.openStreams(JournalEvent.NOTIFICATION)) {
                pending.add(stream.substring(NOTIFICATION_STREAM_PREFIX.length()));
            }
            return new DeliveryReport(attempts, settled, pending);
        }
        Unjournaled outcomes = new Unjournaled();
        try {
            return dispatchRound(attempts, settled, pending, now, outcomes);
        } finally {
            outcomes.release();
        }
    }

    private DeliveryReport dispatchRound(List<DeliveryReport.Attempt> attempts, List<String> settled,
                                         List<String> pending, Instant now, Unjournaled outcomes) {
        List<Queued> queue = queue();
        Round round = new Round();
        for (Queued q : queue) {
            for (NotificationChannel channel : channels) {
                if (routes(q.notification(), channel) && !q.entry().deliveredTo(channel.name())
                        && backoff.open(channel.name(), now)) {
                    throttle.waiting(q.notification(), channel.name(), now);
                    round.owed.merge(channel.name(), 1, Integer::sum);
                }
            }
        }
        List<Queued> retried = new ArrayList<>();
        for (Queued q : queue) {
            if (dispatchClaimed(q, round, false, attempts, settled, pending, outcomes)) {
                retried.add(q);
            }
        }
        outcomes.journal(); // the passes below read these notifications again
        int sentBefore = attempts.size();
        for (Queued q : retried) {
            dispatchClaimed(q, round, true, attempts, settled, pending, outcomes);
        }
        outcomes.journal();
        if (attempts.size() > sentBefore) {
            // What the second pass sent may carry notifications held earlier in the round: let them know now.
            Set<String> done = Set.copyOf(settled);
            Set<String> waiting = new java.util.HashSet<>(pending);
            for (Queued q : queue) {
                if (waiting.contains(q.notification().id()) && !done.contains(q.notification().id())) {
                    dispatchClaimed(q, round, true, attempts, settled, pending, outcomes);
                }
            }
            outcomes.journal();
        }
        Set<String> done = Set.copyOf(settled);
        return new DeliveryReport(attempts, settled, pending.stream().distinct().filter(id -> !done.contains(id))
                .toList());
    }

    /** Transactions' ending codes, the most recently learnt kept (see {@link #endings}). */
    private static final class Endings extends Remembered<Optional<ErrorCode>> {
        private static final long serialVersionUID = 1L;
    }

    /** The most recently learnt {@value #MAX_REMEMBERED_ENDINGS} entries. */
    private static class Remembered<V> extends LinkedHashMap<String, V> {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > MAX_REMEMBERED_ENDINGS;
        }
    }

    /** What one dispatch round has learnt so far, shared by its notifications. */
    private static final class Round {
        /** Per channel, how many notifications the round owes it: a last-failed one goes last only among others. */
        final Map<String, Integer> owed = new HashMap<>();
        /** Per channel, the most severe level its rate limit held back: nothing less severe goes after it. */
        final Map<String, Severity> limited = new HashMap<>();
    }

    /**
     * Claims {@code q} and sends it, unless another dispatch holds it. Returns whether it was left for the end of the
     * round because it failed last on a channel ({@code last} is that second pass, which tries it). The claim is
     * kept while its outcomes wait in {@code outcomes} to be journaled.
     */
    private boolean dispatchClaimed(Queued q, Round round, boolean last, List<DeliveryReport.Attempt> attempts,
                                    List<String> settled, List<String> pending, Unjournaled outcomes) {
        if (!claimed.add(q.stream())) {
            return false; // another dispatch is sending it now
        }
        try {
            return dispatchOne(q.stream(), round, last, attempts, settled, pending, outcomes);
        } finally {
            if (!outcomes.holds(q.stream())) {
                claimed.remove(q.stream());
            }
        }
    }

    /** The most notifications whose outcomes one append journals. */
    static final int JOURNAL_BATCH = 64;

    /**
     * Outcomes of notifications sent in this round and not journaled yet, each notification still claimed: journaled
     * together in one append, after which the claims are released.
     */
    private final class Unjournaled {
        private final List<JournalEvent> events = new ArrayList<>();
        private final Set<String> streams = new java.util.LinkedHashSet<>();

        void add(String stream, List<JournalEvent> outcomes) {
            events.addAll(outcomes);
            streams.add(stream);
            if (streams.size() >= JOURNAL_BATCH) {
                journal();
            }
        }

        boolean holds(String stream) {
            return streams.contains(stream);
        }

        /** Journals what is held, then releases its claims; a failed append releases them too, and throws. */
        void journal() {
            try {
                if (!events.isEmpty()) {
                    journal.appendAll(events);
                }
            } finally {
                release();
            }
        }

        /** Releases the claims held, journaled or not (a round that failed: a later one sends those again). */
        void release() {
            streams.forEach(claimed::remove);
            streams.clear();
            events.clear();
        }
    }

    /**
     * A notification in the outbox as last read, for ordering a round; read only (a dispatch folds its own).
     *
     * @param end the sequence of the stream's last record when it was read
     */
    private record Queued(String stream, OutboxEntry entry, Notification notification, long end) {
    }

    /**
     * The open notifications, most severe first, then oldest first (then as the journal lists them). A notification
     * whose stream has not moved since it was last read here is not read again: the engine dispatches after every
     * operation, and reading every open notification each time was a third of a rebalance's CPU with 32 at once.
     */
    private List<Queued> queue() {
        List<Queued> queue = new ArrayList<>();
        List<StreamPosition> open = journal.openStreamEnds(JournalEvent.NOTIFICATION);
        Set<String> openIds = new java.util.HashSet<>();
        for (StreamPosition end : open) {
            String stream = end.streamId();
            openIds.add(stream);
            Queued q = read.get(stream);
            if (q == null || q.end() != end.lastSequence()) {
                List<JournalRecord> records = journal.stream(stream);
                OutboxEntry entry = OutboxEntry.fold(records);
                if (entry.queued() == null) {
                    LOG.warn("outbox stream {} has no NotificationQueued event; skipped", stream);
                    continue;
                }
                q = new Queued(stream, entry, Notification.of(entry.queued(), endingCode(entry.queued())),
                        StreamPosition.of(stream, records).lastSequence());
                if (codeKnown(entry.queued())) {
                    read.put(stream, q); // else its transaction's ending is looked for again next time
                }
            }
            if (!q.entry().settled()) {
                queue.add(q);
            }
        }
        read.keySet().retainAll(openIds);
        queue.sort(Comparator.comparing((Queued q) -> q.notification().severity())
                .thenComparing(q -> q.notification().at()));
        return queue;
    }

    /**
     * Sends one claimed notification and hands what happened to {@code unjournaled}; the caller holds its claim.
     * Returns whether a channel was skipped because this notification failed on it last (tried again at the end of
     * the round).
     */
    private boolean dispatchOne(String stream, Round round, boolean last, List<DeliveryReport.Attempt> attempts,
                                List<String> settled, List<String> pending, Unjournaled unjournaled) {
        // Read under the claim: the last holder journaled its outcomes before releasing it.
        OutboxEntry entry = OutboxEntry.fold(journal.stream(stream));
        if (entry.queued() == null || entry.settled()) {
            return false;
        }
        boolean deferred = false;
        List<NotificationEvent> outcomes = new ArrayList<>();
        Notification n = Notification.of(entry.queued(), endingCode(entry.queued()));
        boolean first = !entry.attempted();
        for (NotificationChannel channel : channels) {
            String name = channel.name();
            Instant now = clock.instant();
            if (!routes(n, channel) || entry.deliveredTo(name) || !backoff.open(name, now)
                    || heldBehindMoreSevere(n, round.limited.get(name))) {
                continue;
            }
            if (!last && n.id().equals(backoff.lastFailed(name)) && round.owed.getOrDefault(name, 0) > 1) {
                deferred = true;
                continue;
            }
            switch (throttle.decide(n, name, now)) {
                case Throttle.Send send -> {
                    DeliveryReport.Attempt attempt = attempt(channel, send.message(), n, entry, outcomes);
                    attempts.add(attempt);
                    if (attempt.delivered()) {
                        backoff.succeeded(name);
                        throttle.sent(n, name, send, clock.instant());
                    } else {
                        backoff.failed(name, n.id(), clock.instant());
                    }
                }
                case Throttle.Hold hold -> {
                    // stays in the outbox for this channel; settle() sees it pending
                    if (hold.reason() == Throttle.Hold.Reason.LIMIT && n.channels() == null) {
                        round.limited.merge(name, n.severity(), (a, b) -> a.atLeast(b) ? a : b);
                    }
                }
                case Throttle.Carried carried -> {
                    NotificationGrouped grouped = new NotificationGrouped(n.id(), n.accountId(), name,
                            carried.leaderId(), clock.instant());
                    outcomes.add(grouped);
                    entry.apply(grouped);
                }
            }
        }
        settle(n, entry, settled, pending, outcomes);
        if (!outcomes.isEmpty()) {
            List<JournalEvent> append = new ArrayList<>(outcomes);
            if (first && entry.attempted()) {
                append.addAll(firstSendEvents.events(n));
            }
            unjournaled.add(stream, append);
        }
        return deferred;
    }

    /** Whether a channel's rate limit held back something more severe than {@code n} this round (pages never wait). */
    private static boolean heldBehindMoreSevere(Notification n, Severity held) {
        return held != null && n.channels() == null && !n.severity().atLeast(held);
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
            LOG.warn("{}: notification {} to channel {} failed (attempt {}; it stays in the outbox and the channel "
                    + "is tried again after a wait of at most {}): {}", ErrorCode.NOTIFICATION_FAILED, n.id(),
                    channel.name(), attempt, retry.max(), error);
        }
        NotificationEvent outcome = error == null
                ? new NotificationDelivered(n.id(), n.accountId(), channel.name(), clock.instant())
                : new NotificationAttemptFailed(n.id(), n.accountId(), channel.name(), attempt, error,
                        clock.instant());
        outcomes.add(outcome);
        entry.apply(outcome);
        return new DeliveryReport.Attempt(n.id(), channel.name(), attempt, error == null, error);
    }

    /** Settles {@code n} delivered once every channel it is routed to has it; else it stays pending. */
    private void settle(Notification n, OutboxEntry entry, List<String> settled, List<String> pending,
                        List<NotificationEvent> outcomes) {
        for (NotificationChannel channel : channels) {
            if (routes(n, channel) && !entry.deliveredTo(channel.name())) {
                pending.add(n.id());
                return;
            }
        }
        outcomes.add(new NotificationSettled(n.id(), n.accountId(), true, clock.instant()));
        settled.add(n.id());
    }

    /** Whether {@code channel} gets {@code n}: the channels it names, else this outbox's routing. */
    private boolean routes(Notification n, NotificationChannel channel) {
        return n.channels() != null ? n.channels().contains(channel.name()) : routing.routes(n, channel);
    }

    /**
     * Tells the outbox of a transaction ending the caller has just journaled, so a notification about it is sent
     * with its code without reading the transaction back. Call it only once the append holding the ending returned.
     */
    public void ended(TransactionEnded ended) {
        endings.put(ended.txId(), Optional.ofNullable(ended.errorCode()));
    }

    /**
     * Tells the outbox of records the caller has just journaled (an append that returned): each notification queued
     * among them is known to the next dispatch's listing as it was written, which then does not read its stream back
     * (issue 15: a read per rebalance, and one per transaction after a recovery). The dispatch that sends it still
     * reads it under its claim. Call {@link #ended} first for an ending in the same append.
     */
    public void journaled(List<JournalRecord> records) {
        for (JournalRecord record : records) {
            if (record.event() instanceof NotificationQueued queued && codeKnown(queued)) {
                OutboxEntry entry = OutboxEntry.fold(List.of(record));
                read.put(queued.streamId(), new Queued(queued.streamId(), entry,
                        Notification.of(queued, endingCode(queued)), record.sequence()));
            }
        }
    }

    /**
     * The error code of the transaction a notification reports on, when the notification names none: the engine
     * queues a notification in the same append as the transaction's ending, whose code tells which runbook applies.
     */
    private ErrorCode endingCode(NotificationQueued queued) {
        if (queued.code() != null || queued.txId() == null || endingNotices.containsKey(queued.notificationId())) {
            return queued.code();
        }
        Optional<ErrorCode> known = endings.get(queued.txId());
        if (known != null) {
            return known.orElse(null);
        }
        List<JournalRecord> tx = journal.stream(queued.txId());
        for (int i = tx.size() - 1; i >= 0; i--) {
            if (tx.get(i).event() instanceof TransactionEnded ended) {
                endings.put(queued.txId(), Optional.ofNullable(ended.errorCode()));
                return ended.errorCode();
            }
        }
        return null; // not ended yet: asked again next time
    }

    /** Whether {@link #endingCode} has its final answer for {@code queued}: its own code, or its transaction ended. */
    private boolean codeKnown(NotificationQueued queued) {
        return queued.code() != null || queued.txId() == null || endingNotices.containsKey(queued.notificationId())
                || endings.get(queued.txId()) != null;
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
        private RetrySchedule retry = new RetrySchedule(DEFAULT_RETRY_INITIAL, DEFAULT_RETRY_MAX);
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

        /**
         * How long a failing channel rests before it is tried again: {@code initial} after its first failure, doubling
         * while it keeps failing, never more than {@code max}; {@link Outbox#DEFAULT_RETRY_INITIAL} and {@link
         * Outbox#DEFAULT_RETRY_MAX} by default. A notification is never given up.
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.retry = new RetrySchedule(initial, max);
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
