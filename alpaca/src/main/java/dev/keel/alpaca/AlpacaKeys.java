package dev.keel.alpaca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * An Alpaca API key pair. Never printed: {@link #toString()} redacts both halves, and the adapter strips them from
 * any text it puts in an exception.
 *
 * @param keyId  the key id, sent as {@code APCA-API-KEY-ID}
 * @param secret the secret key, sent as {@code APCA-API-SECRET-KEY}
 */
public record AlpacaKeys(String keyId, String secret) {
    /** Alpaca's own environment variable for the key id. */
    public static final String KEY_ID_VARIABLE = "APCA_API_KEY_ID";
    /** Alpaca's own environment variable for the secret key. */
    public static final String SECRET_VARIABLE = "APCA_API_SECRET_KEY";

    public AlpacaKeys {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("keyId must not be blank");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("secret must not be blank");
        }
    }

    /** The keys from {@code APCA_API_KEY_ID} and {@code APCA_API_SECRET_KEY}; null when either is unset or blank. */
    public static AlpacaKeys fromEnvironment(Map<String, String> environment) {
        String id = environment.get(KEY_ID_VARIABLE);
        String secret = environment.get(SECRET_VARIABLE);
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return null;
        }
        return new AlpacaKeys(id.strip(), secret.strip());
    }

    /**
     * The keys from a file of {@code NAME=value} lines with the two environment names (blank lines and {@code #}
     * comments skipped).
     *
     * @throws IllegalArgumentException naming the file and the missing line; never quoting a value
     */
    public static AlpacaKeys fromFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String id = null;
        String secret = null;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (name.equals(KEY_ID_VARIABLE)) {
                id = value;
            } else if (name.equals(SECRET_VARIABLE)) {
                secret = value;
            }
        }
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(file + " must hold a line " + KEY_ID_VARIABLE + "=... and a line "
                    + SECRET_VARIABLE + "=..., but " + (id == null || id.isBlank() ? KEY_ID_VARIABLE : SECRET_VARIABLE)
                    + " is missing or blank");
        }
        return new AlpacaKeys(id, secret);
    }

    /** {@code text} with every occurrence of either key replaced by {@code [redacted]}; null stays null. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        return text.replace(secret, "[redacted]").replace(keyId, "[redacted]");
    }

    @Override
    public String toString() {
        return "AlpacaKeys[keyId=[redacted], secret=[redacted]]";
    }
}
