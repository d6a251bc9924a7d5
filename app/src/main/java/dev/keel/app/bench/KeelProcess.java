package dev.keel.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code keel} in a new JVM, with this JVM's java and class path, working in {@code folder}. The JVM options
 * in {@code KEEL_BENCH_CHILD_JAVA_OPTS} (space-separated) go to every such JVM: a profiler for the measured process,
 * say {@code -XX:StartFlightRecording=filename=/tmp/recover-%p.jfr}.
 */
final class KeelProcess {
    /** The environment variable whose options the child JVMs get. */
    static final String CHILD_OPTS = "KEEL_BENCH_CHILD_JAVA_OPTS";

    private KeelProcess() {
    }

    static Process start(Path folder, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        String options = System.getenv(CHILD_OPTS);
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.keel.app.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(folder.toFile())
                .redirectError(folder.resolve("stderr.txt").toFile()).start();
    }
}
