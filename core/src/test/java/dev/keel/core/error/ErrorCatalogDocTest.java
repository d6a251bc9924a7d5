package dev.keel.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCatalogDocTest {
    private static final String REGENERATE = "-Dkeel.regenerateDocs=true";

    /** The repository root: the nearest folder above the working directory that holds docs/ or mvnw. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) || Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no folder holding docs/ or mvnw above " + Path.of("").toAbsolutePath());
    }

    @Test
    void docsErrorsMdIsTheRenderedCatalog() throws IOException {
        Path file = repositoryRoot().resolve(ErrorCatalogDoc.PATH);
        if (Boolean.getBoolean("keel.regenerateDocs")) {
            ErrorCatalogDoc.write(file);
        }
        String onDisk = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";

        assertThat(onDisk)
                .as("%s is out of step with ErrorCode; regenerate it with "
                        + "./mvnw -pl core test -Dtest=ErrorCatalogDocTest %s and commit it", file, REGENERATE)
                .isEqualTo(ErrorCatalogDoc.render());
    }

    @Test
    void everyCodeHasADescriptionASuggestionAndASectionAtItsRunbookAnchor() {
        String doc = ErrorCatalogDoc.render();
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.description()).as("%s description", code).isNotBlank();
            assertThat(code.suggestion()).as("%s suggestion", code).isNotBlank();
            String anchor = code.runbook().substring(code.runbook().indexOf('#') + 1);
            assertThat(code.runbook()).startsWith(ErrorCatalogDoc.PATH + "#");
            assertThat(doc).contains("<a id=\"" + anchor + "\"></a>\n\n## " + code.name() + "\n")
                    .contains("| [`" + code.name() + "`](#" + anchor + ") |")
                    .contains(code.suggestion());
        }
        assertThat(ErrorCatalogDoc.anchor(ErrorCode.BROKER_TIMEOUT)).isEqualTo("broker-timeout");
    }

    @Test
    void errorResponseFillsEveryFieldOfTheSpecShape() {
        Instant at = Instant.parse("2026-03-02T15:00:00Z");
        ErrorContext context = ErrorContext.of("tx-1", "acct-1", "corr-1").with("symbol", "GLD");

        ErrorResponse response = ErrorResponse.of(ErrorCode.QUOTE_MISSING, "no quote for GLD", context,
                Duration.ofSeconds(30), at);

        ErrorResponse.Error e = response.error();
        assertThat(e.code()).isEqualTo("QUOTE_MISSING");
        assertThat(e.message()).isEqualTo("no quote for GLD");
        assertThat(e.category()).isEqualTo("data");
        assertThat(e.severity()).isEqualTo("medium");
        assertThat(e.retryable()).isTrue();
        assertThat(e.details()).isEqualTo(Map.of("symbol", "GLD"));
        assertThat(e.timestamp()).isEqualTo(at);
        assertThat(e.correlationId()).isEqualTo("corr-1");
        assertThat(e.suggestion()).isEqualTo(ErrorCode.QUOTE_MISSING.suggestion());
        ErrorResponse.Recovery r = response.recovery();
        assertThat(r.strategy()).isEqualTo("degrade");
        assertThat(r.retryAfter()).isEqualTo(30L);
        assertThat(r.fallback()).isEqualTo("skip the affected symbol in this run");
        assertThat(r.manual()).isFalse();
    }

    @Test
    void errorResponseOfEveryCodeCarriesItsCatalogFacts() {
        Instant at = Instant.parse("2026-03-02T15:00:00Z");
        for (ErrorCode code : ErrorCode.values()) {
            ErrorResponse response = ErrorResponse.of(new KeelException(code, "boom",
                    ErrorContext.of("tx-1", "acct-1", "corr-1"), null), at);

            assertThat(response.error().code()).isEqualTo(code.name());
            assertThat(response.error().category()).isEqualTo(code.category().wire());
            assertThat(response.error().severity()).isEqualTo(code.severity().wire());
            assertThat(response.error().retryable()).isEqualTo(code.retryable());
            assertThat(response.error().suggestion()).isNotBlank();
            assertThat(response.error().details()).isNotNull();
            assertThat(response.recovery().strategy()).isEqualTo(code.strategy().wire());
            assertThat(response.recovery().manual()).isEqualTo(code.strategy() == RecoveryStrategy.MANUAL);
        }
    }
}
