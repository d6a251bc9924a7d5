package dev.keel.app;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The API's {@code Idempotency-Key}s: the first call with a key runs and its answer is kept for {@code ttl}; a repeat
 * of the same request gets that answer again without running; the key reused for another request is refused
 * (REQUEST_REFUSED), and so is a repeat while the first is still running (it would otherwise run twice).
 *
 * <p>Kept in the serving process's memory (at most {@code capacity} keys, the oldest dropped first): a restart
 * forgets them. What a repeat after a restart could do twice is kept from it by the journal: a rebalance's key is
 * the correlation id of its transaction, looked for under the account's lease before anything starts
 * ({@code Engine.rebalanceOnce}), so the repeat is answered from the journal; the other acts are idempotent in the
 * engine itself (a halt finds the account halted, an acknowledged alert stays acknowledged, a resolved dead letter or
 * rolled-back operation is refused).
 */
final class IdempotencyKeys {
    /** A call's answer: status and JSON body. */
    record Answer(int status, String body, boolean replayed) {
        /** The same answer, marked as the answer of an earlier call. */
        Answer asReplay() {
            return new Answer(status, body, true);
        }
    }

    private record Entry(String fingerprint, Answer answer, Instant at) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final int capacity;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    IdempotencyKeys(Clock clock, Duration ttl, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.capacity = capacity;
    }

    /** Runs {@code call} for a new key, or answers a repeat; {@code fingerprint} identifies the request. */
    Answer run(String key, String fingerprint, Supplier<Answer> call) {
        synchronized (this) {
            expire();
            Entry seen = entries.get(key);
            if (seen != null) {
                if (!seen.fingerprint().equals(fingerprint)) {
                    throw new KeelException(ErrorCode.REQUEST_REFUSED, "the Idempotency-Key '" + key
                            + "' was used for another request; use a new key for a new request");
                }
                if (seen.answer() == null) {
                    throw new KeelException(ErrorCode.REQUEST_REFUSED, "a request with the Idempotency-Key '" + key
                            + "' is still running; ask again when it has answered");
                }
                return seen.answer().asReplay();
            }
            entries.put(key, new Entry(fingerprint, null, clock.instant()));
            while (entries.size() > capacity) {
                entries.remove(entries.keySet().iterator().next());
            }
        }
        Answer answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            synchronized (this) {
                entries.remove(key); // nothing was answered: the caller may try the key again
            }
            throw e;
        }
        synchronized (this) {
            entries.put(key, new Entry(fingerprint, answer, clock.instant()));
        }
        return answer;
    }

    private void expire() {
        Instant oldest = clock.instant().minus(ttl);
        for (Iterator<Entry> i = entries.values().iterator(); i.hasNext(); ) {
            Entry e = i.next();
            if (e.answer() != null && e.at().isBefore(oldest)) {
                i.remove();
            }
        }
    }
}
