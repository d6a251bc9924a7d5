package dev.keel.core.journal;

import java.util.List;
import java.util.Objects;

/**
 * A journal seen by the holder of an account's lease: every append it makes carries the lease's {@link Fence}, so none
 * lands once another process has taken the account over. Reads pass through.
 */
public final class FencedJournal extends ForwardingJournal {
    private final Fence fence;

    public FencedJournal(Journal delegate, Fence fence) {
        super(delegate);
        this.fence = Objects.requireNonNull(fence, "fence");
    }

    public Fence fence() {
        return fence;
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        return appendAll(List.of(event)).getFirst();
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                         Fence other) {
        if (other != null && !other.equals(fence)) {
            throw new IllegalArgumentException("a journal fenced by " + fence + " asked to append under " + other);
        }
        return delegate().appendAll(events, expected, fence);
    }
}
