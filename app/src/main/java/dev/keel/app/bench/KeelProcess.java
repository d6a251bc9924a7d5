package dev.keel.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code keel} in a new JVM, with this JVM's java and class path, working in {@code folder}. */
final class KeelProcess {
    private KeelProcess() {
    }

    static Process start(Path folder, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.keel.app.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(folder.toFile())
                .redirectError(folder.resolve("stderr.txt").toFile()).start();
    }
}
