package dev.keel.notify.http;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.notify.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One POST of an HTTP channel, bounded by a timeout, that throws on anything but a 2xx answer. Its errors name the
 * channel and the answer's status, never the address (a Slack webhook's address is its secret) or a credential.
 */
final class HttpPost {
    /** The default bound on connecting and on the whole exchange: 10 s. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String channel;
    private final HttpClient client;
    private final Duration timeout;
    private final List<Secret> secrets;

    HttpPost(String channel, Duration timeout, List<Secret> secrets) {
        this.channel = channel;
        this.timeout = timeout;
        this.secrets = List.copyOf(secrets);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Posts {@code body} with {@code headers}; returns the answer's status, or throws. */
    int post(URI target, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure("could not be reached: " + e.getClass().getSimpleName() + detail(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was interrupted; the send will be retried");
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw failure("answered HTTP " + status + detail(response.body()));
        }
        return status;
    }

    private KeelException failure(String what) {
        return new KeelException(ErrorCode.NOTIFICATION_FAILED, "channel '" + channel + "' " + what,
                ErrorContext.NONE, null);
    }

    /** A short, redacted excerpt of an exception message or an answer body. */
    private String detail(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String out = text.strip();
        for (Secret secret : secrets) {
            out = secret.redact(out);
        }
        return ": " + (out.length() <= 200 ? out : out.substring(0, 200) + "...");
    }
}
