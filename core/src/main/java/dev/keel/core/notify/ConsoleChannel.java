package dev.keel.core.notify;

import dev.keel.core.error.Severity;
import java.io.PrintStream;
import java.util.Objects;

/** Prints one block per notification to a stream, usually standard out. */
public final class ConsoleChannel extends AbstractChannel {
    /** The default name: {@code console}. */
    public static final String DEFAULT_NAME = "console";

    private final PrintStream out;

    /** A channel named {@value #DEFAULT_NAME} that prints everything. */
    public ConsoleChannel(PrintStream out) {
        this(DEFAULT_NAME, out, Severity.INFO);
    }

    public ConsoleChannel(String name, PrintStream out, Severity minimumSeverity) {
        super(name, minimumSeverity);
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void send(Notification n) {
        StringBuilder block = new StringBuilder();
        block.append("[").append(n.severity()).append("] ").append(n.title()).append('\n');
        block.append("  account ").append(n.accountId());
        if (n.txId() != null) {
            block.append(", transaction ").append(n.txId());
        }
        block.append(", at ").append(n.at()).append(", id ").append(n.id()).append('\n');
        n.body().lines().forEach(line -> block.append("  ").append(line).append('\n'));
        synchronized (out) {
            out.print(block.append('\n'));
            out.flush();
            if (out.checkError()) {
                throw new IllegalStateException("console channel '" + name() + "' could not write");
            }
        }
    }
}
