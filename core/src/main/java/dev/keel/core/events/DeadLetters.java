package dev.keel.core.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The operator's side of the dead letters: look, send one back to be delivered again, resolve one with a note,
 * purge the old ones. Resolution notes are journaled by the caller ({@code DeadLetterResolved}), so the runbook of the
 * dead letter's code shows them.
 */
public interface DeadLetters {

    /** Every dead letter, oldest first, resolved ones included. */
    List<DeadLetter> list();

    Optional<DeadLetter> find(String messageId);

    /**
     * Sends the dead letter back to its source as a new message with no deliveries yet, and removes it here.
     *
     * @return false when there is no such dead letter
     */
    boolean retry(String messageId);

    /**
     * Marks it resolved by {@code by} with {@code note}; it stays listed, resolved, until purged.
     *
     * @return the resolved dead letter, or empty when there is none by that id
     */
    Optional<DeadLetter> resolve(String messageId, String by, String note, Instant at);

    /** Removes every dead letter dead-lettered before {@code cutoff}; returns how many. */
    int purge(Instant cutoff);
}
