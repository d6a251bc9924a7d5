package dev.keel.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixtures: the contract example file, and writing variants of it. */
final class ConfigFiles {
    private ConfigFiles() {
    }

    /** The configuration of the brief, byte for byte. */
    static String contract() {
        try (InputStream in = ConfigFiles.class.getResourceAsStream("contract.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} with {@code from} replaced by {@code to}, failing if {@code from} is not in it. */
    static String edit(String text, String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalArgumentException("fixture does not contain '" + from + "'");
        }
        return text.replace(from, to);
    }

    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file with only the required section. */
    static final String MINIMAL = """
            accounts:
              - id: main
                targets: { VTI: 0.6, TLT: 0.4 }
            """;
}
