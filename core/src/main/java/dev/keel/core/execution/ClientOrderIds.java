package dev.keel.core.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Law 2: a client order id is derived from (operation id, leg) and nothing else — never from a clock or a retry
 * counter — so a resubmission after an ambiguous outcome reuses it and the broker dedupes it.
 */
public final class ClientOrderIds {
    /** Alpaca accepts up to 128 characters; Keel stays well inside what FIX ClOrdID fields take too. */
    static final int MAX_LENGTH = 48;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]+");

    private ClientOrderIds() {
    }

    /** {@code <txId>:<leg>} when short and safe, otherwise a prefix of it plus a hash of the whole. */
    public static String derive(String txId, String leg) {
        String plain = txId + ":" + leg;
        if (plain.length() <= MAX_LENGTH && SAFE.matcher(plain).matches()) {
            return plain;
        }
        String hash = sha256Hex(plain).substring(0, 16);
        String prefix = plain.replaceAll("[^A-Za-z0-9._:-]", "_");
        return prefix.substring(0, Math.min(prefix.length(), MAX_LENGTH - 17)) + "~" + hash;
    }

    private static String sha256Hex(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
