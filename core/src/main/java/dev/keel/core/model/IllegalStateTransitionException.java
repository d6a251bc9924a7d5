package dev.keel.core.model;

/** A lifecycle was asked to make a move its transition table does not allow: a programming error. */
public final class IllegalStateTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public IllegalStateTransitionException(String lifecycle, String from, String to) {
        super("illegal " + lifecycle + " state transition " + from + " -> " + to);
    }
}
