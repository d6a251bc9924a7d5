package dev.keel.app.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Reads {@code broker.alpaca}: endpoint, live, data-url, feed, timeout, key-file or key-files (per account). */
final class AlpacaReader {
    /** Alpaca's paper trading endpoint. */
    static final URI PAPER = URI.create("https://paper-api.alpaca.markets");
    /** Alpaca's live trading endpoint. */
    static final URI LIVE = URI.create("https://api.alpaca.markets");
    /** Alpaca's market data endpoint. */
    static final URI DATA = URI.create("https://data.alpaca.markets");
    static final String DEFAULT_FEED = "iex";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final String ENDPOINT_EXPECTED = "paper, live or an http(s) URL";

    private AlpacaReader() {
    }

    /** Absent: Alpaca's paper endpoint with the defaults. */
    static AlpacaConfig alpaca(Field field, Path base) {
        Section s = field.section();
        int mark = s.problemCount();
        Field endpointField = s.field("endpoint");
        URI endpoint = endpoint(endpointField);
        Field liveField = s.field("live");
        Boolean live = liveField.bool(false);
        Field dataField = s.field("data-url");
        URI dataUrl = dataField.present() ? url(dataField, dataField.text(null)) : DATA;
        Field feedField = s.field("feed");
        String feed = feedField.text(DEFAULT_FEED);
        if (feed != null && !feed.matches("[a-z_]{1,16}")) {
            feedField.problem("expected a feed name such as iex, sip or delayed_sip, but was '" + feed + "'");
        }
        Duration timeout = s.field("timeout").duration(DEFAULT_TIMEOUT, true);
        Field keyField = s.field("key-file");
        Path keyFile = keyField.file(null, base);
        if (keyFile != null) {
            Path repository = workTree(keyFile);
            if (repository != null) {
                keyField.problem("'" + keyFile + "' is inside the git working tree " + repository + "; keep"
                        + " Alpaca keys outside the repository, or set APCA_API_KEY_ID and APCA_API_SECRET_KEY in"
                        + " the environment");
            }
        }
        // one Alpaca account per key pair: several Keel accounts each name their own key file
        java.util.Map<String, Path> keyFiles = new java.util.LinkedHashMap<>();
        Field filesField = s.field("key-files");
        if (filesField.present()) {
            for (java.util.Map.Entry<String, Field> e : filesField.section().entries().entrySet()) {
                Path file = e.getValue().file(null, base);
                if (file == null) {
                    continue;
                }
                Path repository = workTree(file);
                if (repository != null) {
                    e.getValue().problem("'" + file + "' is inside the git working tree " + repository + "; keep"
                            + " Alpaca keys outside the repository");
                }
                keyFiles.put(e.getKey(), file);
            }
            if (keyFile != null) {
                filesField.problem("give either key-file (one account) or key-files (one per account), not both");
            }
        }
        if (LIVE.equals(endpoint) && Boolean.FALSE.equals(live)) {
            endpointField.problem("'" + (endpointField.present() ? endpointField.text("") : "") + "' is Alpaca's"
                    + " live endpoint, which trades real money; add broker.alpaca.live: true to mean it");
        }
        s.finish();
        if (s.problemCount() > mark) {
            return null;
        }
        return new AlpacaConfig(endpoint, Boolean.TRUE.equals(live), dataUrl, feed, timeout, keyFile, keyFiles);
    }

    private static URI endpoint(Field field) {
        String text = field.text("paper");
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "paper" -> PAPER;
            case "live" -> LIVE;
            default -> url(field, text);
        };
    }

    private static URI url(Field field, String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                return URI.create(scheme + "://" + uri.getRawAuthority()
                        + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path));
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        field.problem("expected " + (field.path().endsWith("endpoint") ? ENDPOINT_EXPECTED : "an http(s) URL")
                + ", but was '" + text + "'");
        return null;
    }

    /** The git working tree holding {@code file}, or null: a key file there could be committed. */
    static Path workTree(Path file) {
        for (Path dir = file.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return dir;
            }
        }
        return null;
    }
}
