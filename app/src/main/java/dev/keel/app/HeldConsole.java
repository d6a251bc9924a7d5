package dev.keel.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The console notification channel of one command, held until the command has printed its report, so the story
 * reads in order: the plan and the orders first, then the notification about how it ended.
 */
final class HeldConsole {
    private final PrintStream target;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(held, true, StandardCharsets.UTF_8);

    HeldConsole(PrintStream target) {
        this.target = target;
    }

    /** Where the console channel writes meanwhile. */
    PrintStream stream() {
        return stream;
    }

    /** Prints what was held, under a blank line, and holds nothing after that. */
    void release() {
        stream.flush();
        synchronized (held) {
            if (held.size() > 0) {
                target.println();
                target.print(held.toString(StandardCharsets.UTF_8));
                target.flush();
                held.reset();
            }
        }
    }
}
