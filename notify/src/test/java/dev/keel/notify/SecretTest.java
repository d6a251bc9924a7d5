package dev.keel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {
    @TempDir
    Path dir;

    @Test
    void readFromEnvironmentPrintsOnlyItsSource() {
        Secret secret = Secret.fromEnv(Map.of("KEEL_SLACK_URL", "https://hooks.example/T/B/xyz\n"), "KEEL_SLACK_URL");
        assertThat(secret.reveal()).isEqualTo("https://hooks.example/T/B/xyz");
        assertThat(secret.toString()).isEqualTo("Secret[environment variable KEEL_SLACK_URL]")
                .doesNotContain("xyz");
    }

    @Test
    void missingVariableIsNamedWithoutAValue() {
        assertThatThrownBy(() -> Secret.fromEnv(Map.of(), "KEEL_SMTP_PASSWORD"))
                .hasMessage("environment variable KEEL_SMTP_PASSWORD is not set; expected the secret");
    }

    @Test
    void readFromFileStripsTheNewline() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s3cr3t\n");
        assertThat(Secret.fromFile(file).reveal()).isEqualTo("s3cr3t");
    }

    @Test
    void unreadableFileIsNamed() {
        Path missing = dir.resolve("absent");
        assertThatThrownBy(() -> Secret.fromFile(missing)).hasMessageContaining("secret file " + missing)
                .hasMessageContaining("cannot be read");
    }

    @Test
    void redactMasksEveryOccurrence() {
        Secret secret = Secret.of("hunter2", "test");
        assertThat(secret.redact("535 bad password hunter2 for hunter2")).isEqualTo("535 bad password **** for ****");
    }
}
