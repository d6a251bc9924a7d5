package dev.keel.app;

import java.io.PrintWriter;

/**
 * Progress lines for long work, {@code [3/7] SELL VTI 21.9 @ 250.00}, on stderr so stdout stays the result;
 * silent in {@code --json} mode. Get one from {@link Output#progress(int)}.
 */
public final class Progress {
    private final PrintWriter err;
    private final boolean silent;
    private final int total;
    private int done;

    Progress(PrintWriter err, boolean silent, int total) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be at least 0, but was " + total);
        }
        this.err = err;
        this.silent = silent;
        this.total = total;
    }

    /** Reports the next step; with a total of 0 (unknown) the line reads {@code [3] ...}. */
    public void step(String description) {
        done++;
        if (silent) {
            return;
        }
        err.println((total > 0 ? "[" + done + "/" + total + "] " : "[" + done + "] ") + description);
        err.flush();
    }

    /** Steps reported so far. */
    public int done() {
        return done;
    }
}
