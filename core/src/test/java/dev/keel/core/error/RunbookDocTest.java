package dev.keel.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RunbookDocTest {
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no folder holding docs/ and mvnw above " + Path.of("").toAbsolutePath());
    }

    @Test
    void docsRunbooksIsTheRenderedCatalogPageForPage() throws IOException {
        Path folder = repositoryRoot().resolve(RunbookDoc.FOLDER);
        if (Boolean.getBoolean("keel.regenerateDocs")) {
            RunbookDoc.write(folder);
        }
        Map<String, String> expected = RunbookDoc.render();
        Set<String> onDisk = new HashSet<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                files.forEach(f -> onDisk.add(f.getFileName().toString()));
            }
        }
        assertThat(onDisk).as("%s holds exactly one page per code and the index; regenerate with ./mvnw -pl core test "
                + "-Dtest=RunbookDocTest -Dkeel.regenerateDocs=true", folder).isEqualTo(expected.keySet());
        for (Map.Entry<String, String> page : expected.entrySet()) {
            assertThat(Files.readString(folder.resolve(page.getKey()), StandardCharsets.UTF_8))
                    .as("%s is out of step with the catalog; regenerate it", page.getKey()).isEqualTo(page.getValue());
        }
    }

    @Test
    void everyCodeHasEverySectionAndTheDataNamesNoUnknownCode() {
        Set<String> codes = new HashSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            codes.add(code.name());
            Runbook r = Runbook.of(code);
            assertThat(r.causes()).as("%s causes", code).isNotEmpty();
            assertThat(r.diagnosis()).as("%s diagnosis", code).isNotEmpty();
            assertThat(r.prevention()).as("%s prevention", code).isNotBlank();
            assertThat(r.escalation()).as("%s escalation", code).isNotBlank();
            assertThat(RunbookDoc.page(r)).contains("## What it means", "## Common causes", "## Diagnosis",
                    "## Resolution", "## Prevention", "## Escalation", code.suggestion());
        }
        for (String key : Runbook.keys()) {
            String owner = key.substring(0, key.indexOf('.'));
            if (!owner.equals("category") && !owner.equals("severity")) {
                assertThat(codes).as("runbooks.properties key %s names a code the catalog does not have", key)
                        .contains(owner);
            }
        }
        assertThat(Runbook.page(ErrorCode.BROKER_TIMEOUT)).isEqualTo("broker-timeout.md");
    }

    @Test
    void aCodeOverridesItsCategorysDiagnosisAndItsSeveritysEscalation() {
        assertThat(Runbook.of(ErrorCode.ACCOUNT_HALTED).escalation()).startsWith("Page the on-call engineer now: the");
        assertThat(Runbook.of(ErrorCode.BROKER_TIMEOUT).diagnosis().getFirst()).startsWith("Run 'keel tx show ID'");
        assertThat(Runbook.of(ErrorCode.BROKER_SERVER_ERROR).escalation()).startsWith("Tell the on-call engineer");
    }
}
