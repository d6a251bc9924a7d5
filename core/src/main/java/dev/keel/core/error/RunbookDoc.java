package dev.keel.core.error;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders {@code docs/runbooks/}: one page per {@link ErrorCode} from its {@link Runbook} and an index, the pages
 * every notification links to. A test keeps the folder in step, as {@link ErrorCatalogDoc} does for errors.md.
 */
public final class RunbookDoc {
    /** The folder, relative to the repository root. */
    public static final String FOLDER = "docs/runbooks";
    /** The index page's name. */
    public static final String INDEX = "README.md";
    private static final String GENERATED = "<!-- Generated from dev.keel.core.error.ErrorCode and runbooks.properties "
            + "by RunbookDoc; do not edit by hand. -->\n"
            + "<!-- Regenerate: ./mvnw -pl core test -Dtest=RunbookDocTest -Dkeel.regenerateDocs=true -->\n\n";

    private RunbookDoc() {
    }

    /** Every page by file name, the index first. */
    public static Map<String, String> render() {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put(INDEX, index());
        for (ErrorCode code : ErrorCode.values()) {
            pages.put(Runbook.page(code), page(Runbook.of(code)));
        }
        return pages;
    }

    /** Writes every page into {@code folder}, removing pages of codes that no longer exist. */
    public static void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Map<String, String> pages = render();
        try (var existing = Files.list(folder)) {
            for (Path file : existing.toList()) {
                if (file.getFileName().toString().endsWith(".md") && !pages.containsKey(file.getFileName().toString())) {
                    Files.delete(file);
                }
            }
        }
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Files.writeString(folder.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
        }
    }

    static String index() {
        StringBuilder md = new StringBuilder("# Runbooks\n\n").append(GENERATED);
        md.append("One page per error code: what it means, common causes, how to diagnose, resolve and prevent it, and ")
                .append("when to escalate. Every notification links the page of its code. `keel runbook CODE` shows ")
                .append("the same text with the resolutions operators journaled for that code, most frequent first.")
                .append("\n\n| Code | Severity | Meaning |\n|---|---|---|\n");
        for (ErrorCode code : ErrorCode.values()) {
            md.append("| [`").append(code.name()).append("`](").append(Runbook.page(code)).append(") | ")
                    .append(code.severity().wire()).append(" | ").append(code.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return md.toString();
    }

    /** One code's page. */
    public static String page(Runbook r) {
        ErrorCode code = r.code();
        StringBuilder md = new StringBuilder("# ").append(code.name()).append("\n\n").append(GENERATED);
        md.append("Category: ").append(code.category().wire()).append(", severity: ").append(code.severity().wire())
                .append(", retryable: ").append(code.retryable() ? "yes" : "no").append(", strategy: ")
                .append(code.strategy().wire()).append(". Catalog entry: [errors.md](../errors.md#")
                .append(ErrorCatalogDoc.anchor(code)).append(").\n\n");
        md.append("## What it means\n\n").append(r.meaning()).append("\n\n");
        md.append("## Common causes\n\n");
        r.causes().forEach(c -> md.append("- ").append(c).append('\n'));
        md.append("\n## Diagnosis\n\n");
        for (int i = 0; i < r.diagnosis().size(); i++) {
            md.append(i + 1).append(". ").append(r.diagnosis().get(i)).append('\n');
        }
        md.append("\n## Resolution\n\n").append(r.resolution()).append("\n\n");
        md.append("## Prevention\n\n").append(r.prevention()).append("\n\n");
        md.append("## Escalation\n\n").append(r.escalation()).append("\n");
        return md.toString();
    }
}
