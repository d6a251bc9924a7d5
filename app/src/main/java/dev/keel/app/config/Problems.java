package dev.keel.app.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of one file, so the user sees them all at once rather than one per run. */
final class Problems {
    private final Path file;
    private final List<ConfigProblem> found = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void add(int line, String path, String message) {
        found.add(new ConfigProblem(file, line, path, message));
    }

    Path file() {
        return file;
    }

    int count() {
        return found.size();
    }

    void throwIfAny() {
        if (!found.isEmpty()) {
            throw exception();
        }
    }

    /** All problems in file order (a stable sort: unknown keys are only found when a section is done). */
    ConfigException exception() {
        List<ConfigProblem> inFileOrder = new ArrayList<>(found);
        inFileOrder.sort(Comparator.comparingInt(ConfigProblem::line));
        return new ConfigException(file, inFileOrder);
    }
}
