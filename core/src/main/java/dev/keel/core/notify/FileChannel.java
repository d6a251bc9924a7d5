package dev.keel.core.notify;

import dev.keel.core.error.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** Appends one JSON object per line to a file, creating the file and its folders. */
public final class FileChannel extends AbstractChannel {
    /** The default name: {@code file}. */
    public static final String DEFAULT_NAME = "file";

    private final Path file;

    /** A channel named {@value #DEFAULT_NAME} that writes everything to {@code file}. */
    public FileChannel(Path file) {
        this(DEFAULT_NAME, file, Severity.INFO);
    }

    public FileChannel(String name, Path file, Severity minimumSeverity) {
        super(name, minimumSeverity);
        this.file = Objects.requireNonNull(file, "file");
    }

    public Path file() {
        return file;
    }

    /** A line appended to a local file, as the log's: sent on the dispatching thread, without the hand-off. */
    @Override
    public boolean appendsLocally() {
        return true;
    }

    @Override
    public synchronized void send(Notification n) {
        String line = "{\"at\":" + json(n.at().toString()) + ",\"id\":" + json(n.id()) + ",\"accountId\":"
                + json(n.accountId()) + ",\"txId\":" + json(n.txId()) + ",\"severity\":" + json(n.severity().wire())
                + ",\"title\":" + json(n.title()) + ",\"body\":" + json(n.body()) + "}\n";
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("file channel '" + name() + "' could not append to " + file, e);
        }
    }

    /** A JSON string literal, or {@code null}. */
    static String json(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
