package dev.keel.app.config;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A configuration file that cannot be used; the message lists every problem, one per line. */
public final class ConfigException extends KeelException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final transient List<ConfigProblem> problems;

    public ConfigException(Path file, List<ConfigProblem> problems) {
        super(ErrorCode.CONFIG_INVALID, problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    /** The file as the user named it. */
    public Path file() {
        return file;
    }

    /** Every problem found, in file order of discovery. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
