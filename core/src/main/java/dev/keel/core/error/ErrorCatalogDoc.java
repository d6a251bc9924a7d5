package dev.keel.core.error;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Renders the {@link ErrorCode} catalog as the Markdown of {@code docs/errors.md}, the runbook the codes link to. */
public final class ErrorCatalogDoc {
    /** Where the rendered catalog lives, relative to the repository root. */
    public static final String PATH = "docs/errors.md";

    private ErrorCatalogDoc() {
    }

    /** Writes the catalog to the path given, or to {@value #PATH} under the working directory. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : PATH);
        write(target);
        System.out.println("wrote " + target.toAbsolutePath());
    }

    public static void write(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(target, render(), StandardCharsets.UTF_8);
    }

    /** The anchor of a code's section, as {@link ErrorCode#runbook()} links to it: {@code broker-timeout}. */
    public static String anchor(ErrorCode code) {
        String runbook = code.runbook();
        return runbook.substring(runbook.indexOf('#') + 1);
    }

    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Error catalog\n\n");
        md.append("<!-- Generated from dev.keel.core.error.ErrorCode by ErrorCatalogDoc; do not edit by hand. -->\n");
        md.append("<!-- Regenerate: ./mvnw -pl core test -Dtest=ErrorCatalogDocTest -Dkeel.regenerateDocs=true -->\n\n");
        md.append("Every error Keel reports carries one of these codes, in logs, the journal, notifications and the ")
                .append("standard error response. **Retryable** says whether repeating the same request may succeed; ")
                .append("an order submit is never blindly retried, only resolved by looking it up.\n\n");
        md.append("| Code | Category | Severity | Retryable | Strategy |\n");
        md.append("|---|---|---|---|---|\n");
        for (ErrorCode code : ErrorCode.values()) {
            md.append("| [`").append(code.name()).append("`](#").append(anchor(code)).append(") | ")
                    .append(code.category().wire()).append(" | ")
                    .append(code.severity().wire()).append(" | ")
                    .append(code.retryable() ? "yes" : "no").append(" | ")
                    .append(code.strategy().wire()).append(" |\n");
        }
        for (ErrorCode code : ErrorCode.values()) {
            md.append("\n<a id=\"").append(anchor(code)).append("\"></a>\n\n");
            md.append("## ").append(code.name()).append("\n\n");
            md.append("Category: ").append(code.category().wire())
                    .append(", severity: ").append(code.severity().wire())
                    .append(", retryable: ").append(code.retryable() ? "yes" : "no")
                    .append(", strategy: ").append(code.strategy().wire()).append("\n\n");
            md.append("**What happened.** ").append(code.description()).append("\n\n");
            md.append("**What to do.** ").append(code.suggestion()).append("\n");
        }
        return md.toString();
    }
}
