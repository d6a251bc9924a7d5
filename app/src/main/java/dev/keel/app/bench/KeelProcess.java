package dev.keel.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code keel} in a new process working in {@code folder}: through the {@code keel} launcher when this JVM was
 * started by it ({@code KEEL_LAUNCHER}), so a measured {@code keel recover} runs as a user's does (class-data sharing,
 * the launcher's JVM options for the command), else with this JVM's java and class path. The JVM options in
 * {@code KEEL_BENCH_CHILD_JAVA_OPTS} (space-separated) go to every such JVM: a profiler for the measured process, say
 * {@code -XX:StartFlightRecording=filename=/tmp/recover-%p.jfr}.
 */
final class KeelProcess {
    /** The environment variable whose options the child JVMs get. */
    static final String CHILD_OPTS = "KEEL_BENCH_CHILD_JAVA_OPTS";
    /** Set by the launcher to its own path. */
    static final String LAUNCHER = "KEEL_LAUNCHER";

    private KeelProcess() {
    }

    static Process start(Path folder, String... args) throws IOException {
        String options = System.getenv(CHILD_OPTS);
        List<String> childOptions = options == null || options.isBlank() ? List.of()
                : List.of(options.trim().split("\\s+"));
        String launcher = System.getenv(LAUNCHER);
        List<String> command = new ArrayList<>();
        ProcessBuilder builder = new ProcessBuilder(command);
        if (launcher != null && java.nio.file.Files.isExecutable(Path.of(launcher))) {
            command.add(launcher);
            builder.environment().put("KEEL_JAVA_OPTS", String.join(" ", childOptions));
        } else {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED"));
            command.addAll(childOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.keel.app.Main"));
        }
        command.addAll(List.of(args));
        return builder.directory(folder.toFile()).redirectError(folder.resolve("stderr.txt").toFile()).start();
    }
}
