package dev.keel.app.config;

import java.nio.file.Path;

/**
 * One thing wrong with a configuration file.
 *
 * @param file    the file as the user named it
 * @param line    1-based line in the file, or 0 when unknown
 * @param path    the field path, e.g. {@code broker.paper.faults[1].kind}; empty for the whole file
 * @param message what was expected and what was found
 */
public record ConfigProblem(Path file, int line, String path, String message) {

    /** {@code keel.yaml:12: broker.paper.faults[1].kind: expected one of ..., but was 'x'}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(file.toString());
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(message).toString();
    }
}
