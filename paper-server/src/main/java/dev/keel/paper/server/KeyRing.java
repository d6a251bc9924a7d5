package dev.keel.paper.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which API keys the server accepts and the paper account each one trades: Alpaca's {@code APCA-API-KEY-ID} and
 * {@code APCA-API-SECRET-KEY}. Either one shared secret, where the key id names the account (key id {@code main}
 * trades account {@code main}), or explicit keys, each with its own secret and account. Secrets are compared in
 * constant time and never printed: {@link #toString()} shows key ids only.
 */
public final class KeyRing {
    /** One configured key: its secret and the account it trades. */
    public record Key(String secret, String accountId) {
        public Key {
            requireText(secret, "secret");
            requireText(accountId, "accountId");
        }

        @Override
        public String toString() {
            return "Key[secret=***, accountId=" + accountId + "]";
        }
    }

    private final String sharedSecret;
    private final Map<String, Key> keys;

    private KeyRing(String sharedSecret, Map<String, Key> keys) {
        this.sharedSecret = sharedSecret;
        this.keys = Map.copyOf(keys);
    }

    /** Any key id is accepted as the id of the account it trades, with this one secret. */
    public static KeyRing sharedSecret(String secret) {
        requireText(secret, "secret");
        return new KeyRing(secret, Map.of());
    }

    /** Only these key ids, each with its own secret and account. */
    public static KeyRing of(Map<String, Key> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("keys must name at least one key, but was empty");
        }
        return new KeyRing(null, keys);
    }

    /** The account the key trades, or empty when the key id is unknown or the secret wrong. */
    public Optional<String> account(String keyId, String secret) {
        if (keyId == null || keyId.isBlank() || secret == null) {
            return Optional.empty();
        }
        if (sharedSecret != null) {
            return same(secret, sharedSecret) ? Optional.of(keyId) : Optional.empty();
        }
        Key key = keys.get(keyId);
        // compare even for an unknown id, so the answer takes as long either way
        boolean match = same(secret, key == null ? "" : key.secret());
        return key != null && match ? Optional.of(key.accountId()) : Optional.empty();
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @Override
    public String toString() {
        return sharedSecret != null ? "KeyRing[shared secret, key id = account id]" : "KeyRing[keys=" + keys.keySet() + "]";
    }
}
