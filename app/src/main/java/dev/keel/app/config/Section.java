package dev.keel.app.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A mapping of the file being read. Every key the reader asks for becomes known; {@link #finish()} then reports
 * the keys nobody asked for, with a "did you mean" for near misses, and any literal secret.
 */
final class Section {
    /** Key names that hold credentials; {@code key-file} and {@code *-env} only point at them and are fine. */
    private static final Pattern SECRET = Pattern.compile(
            "(?i)(.*[-_])?(key|key[-_]?id|api[-_]?key|secret([-_]?key)?|password|passwd|token)");
    private static final String SECRET_ADVICE = "literal secrets do not belong in a config file; set"
            + " APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment, or name a key file outside the"
            + " repository with broker.alpaca.key-file";

    private final Problems problems;
    private final String path;
    private final int line;
    private final Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    Section(Problems problems, String path, YamlNode.Mapping mapping, int line) {
        this.problems = problems;
        this.path = path;
        this.line = mapping == null ? line : mapping.line();
        if (mapping != null) {
            for (YamlNode.Entry entry : mapping.entries()) {
                YamlNode.Entry first = entries.putIfAbsent(entry.key(), entry);
                if (first != null) {
                    problems.add(entry.keyLine(), child(entry.key()),
                            "duplicate key; it was already given on line " + first.keyLine());
                }
            }
        }
    }

    /** Problems found so far in the whole file: a reader compares before and after to know its part was clean. */
    int problemCount() {
        return problems.count();
    }

    boolean has(String key) {
        YamlNode.Entry entry = entries.get(key);
        return entry != null && field(entry).present();
    }

    /** The field under {@code key}, absent if the file does not give it. */
    Field field(String key) {
        known.add(key);
        YamlNode.Entry entry = entries.get(key);
        return entry == null ? new Field(problems, child(key), null, line) : field(entry);
    }

    /** Every entry, for mappings whose keys are data (symbols), not names. */
    Map<String, Field> entries() {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (YamlNode.Entry entry : entries.values()) {
            known.add(entry.key());
            fields.put(entry.key(), field(entry));
        }
        return fields;
    }

    /** Reports every key that was not asked for. */
    void finish() {
        List<String> names = new ArrayList<>(known);
        for (YamlNode.Entry entry : entries.values()) {
            String key = entry.key();
            if (known.contains(key)) {
                continue;
            }
            if (isSecret(key)) {
                problems.add(entry.keyLine(), child(key), SECRET_ADVICE);
            } else {
                String hint = Suggestion.nearest(key, names).map(s -> "did you mean '" + s + "'?")
                        .orElse("expected one of " + String.join(", ", names));
                problems.add(entry.keyLine(), child(key), "unknown key; " + hint);
            }
        }
    }

    static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Field field(YamlNode.Entry entry) {
        return new Field(problems, child(entry.key()), entry.value(), entry.keyLine());
    }
}
