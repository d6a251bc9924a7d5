package dev.keel.core.error;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What an operator needs to handle one error code: what it means and how to resolve it (from the {@link ErrorCode}
 * catalog), and its common causes, how to diagnose and prevent it, and when to escalate (from the catalog's
 * runbook data, {@value #RESOURCE}). {@code docs/runbooks/} is rendered from these by {@link RunbookDoc}.
 */
public record Runbook(ErrorCode code, List<String> causes, List<String> diagnosis, String prevention,
                      String escalation) {
    /** The runbook data beside this class. */
    public static final String RESOURCE = "runbooks.properties";
    private static final Properties DATA = load();

    public Runbook {
        causes = List.copyOf(causes);
        diagnosis = List.copyOf(diagnosis);
    }

    /** The runbook of {@code code}; throws naming the code and the missing key when the data lacks it. */
    public static Runbook of(ErrorCode code) {
        return new Runbook(code, list(required(code.name() + ".causes")),
                list(orDefault(code.name() + ".diagnosis", "category." + code.category().wire() + ".diagnosis")),
                required(code.name() + ".prevention"),
                orDefault(code.name() + ".escalation", "severity." + code.severity().wire() + ".escalation"));
    }

    /** What it means: the catalog's description. */
    public String meaning() {
        return code.description();
    }

    /** How to resolve it: the catalog's suggestion. */
    public String resolution() {
        return code.suggestion();
    }

    /** The page's file name under {@code docs/runbooks/}: {@code broker-timeout.md}. */
    public static String page(ErrorCode code) {
        return code.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".md";
    }

    /** Every key of the data, for the test that keeps it free of codes the catalog no longer has. */
    static java.util.Set<String> keys() {
        return DATA.stringPropertyNames();
    }

    private static String required(String key) {
        String value = DATA.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(RESOURCE + " has no '" + key + "'; every error code needs one");
        }
        return value.strip();
    }

    private static String orDefault(String key, String fallbackKey) {
        String value = DATA.getProperty(key);
        return value != null && !value.isBlank() ? value.strip() : required(fallbackKey);
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split("\\|")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Runbook.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath beside " + Runbook.class);
            }
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
