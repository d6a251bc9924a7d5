package dev.keel.notify.http;

import dev.keel.notify.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook channel's signature: HMAC-SHA256 with the shared secret over {@code TIMESTAMP + "." + BODY}, sent as
 * {@value #SIGNATURE_HEADER}{@code : v1=HEX} beside {@value #TIMESTAMP_HEADER}{@code : EPOCH_SECONDS}. A receiver
 * recomputes it, compares in constant time, and refuses a timestamp outside its tolerance, so a captured request
 * cannot be replayed later (within the tolerance, the body's {@code id} lets it drop a duplicate).
 */
public final class WebhookSignature {
    /** The header carrying the signing time in epoch seconds. */
    public static final String TIMESTAMP_HEADER = "X-Keel-Timestamp";
    /** The header carrying {@code v1=} and the hex HMAC. */
    public static final String SIGNATURE_HEADER = "X-Keel-Signature";
    /** The default tolerance of {@link #verify}: 5 minutes either side. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final String SCHEME = "v1=";

    private final Secret secret;

    public WebhookSignature(Secret secret) {
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /** The value of {@value #SIGNATURE_HEADER} for {@code body} signed at {@code timestamp}. */
    public String sign(long timestamp, String body) {
        return SCHEME + HexFormat.of().formatHex(mac(timestamp + "." + body));
    }

    /** Why a request was refused, or that it was accepted. */
    public enum Verdict {
        VALID, MISSING_HEADER, MALFORMED_TIMESTAMP, STALE_TIMESTAMP, BAD_SIGNATURE;

        public boolean valid() {
            return this == VALID;
        }
    }

    /**
     * Verifies a received request.
     *
     * @param timestampHeader the {@value #TIMESTAMP_HEADER} value, or null
     * @param signatureHeader the {@value #SIGNATURE_HEADER} value, or null
     * @param body            the raw body as received
     * @param now             the receiver's time
     * @param tolerance       how far the timestamp may be from {@code now}, either way
     */
    public Verdict verify(String timestampHeader, String signatureHeader, String body, Instant now,
                          Duration tolerance) {
        if (timestampHeader == null || signatureHeader == null) {
            return Verdict.MISSING_HEADER;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.strip());
        } catch (NumberFormatException e) {
            return Verdict.MALFORMED_TIMESTAMP;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return Verdict.STALE_TIMESTAMP;
        }
        byte[] expected = sign(timestamp, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signatureHeader.strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
