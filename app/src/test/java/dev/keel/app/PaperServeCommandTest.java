package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keel paper serve} as a real process: it serves, it owns its state file, it stops on SIGTERM. */
class PaperServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "serve-test-secret-91c2";

    @TempDir
    Path dir;

    private Path secretFile() throws IOException {
        Path file = dir.resolve("paper.secret");
        Files.writeString(file, SECRET + "\n");
        return file;
    }

    @Test
    void itServesAlpacasApiOwnsTheStateFileAndStopsOnSigterm() throws Exception {
        String cfg = CommandsTest.config(dir, "").toString();
        String secret = secretFile().toString();
        Process server = ChildKeel.start(dir, "paper", "serve", "--config", cfg, "--port", "0", "--json",
                "--secret-file", secret);
        try {
            String first = document(new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8)));
            assertThat(first).as("the URL document; stderr in %s", dir.resolve("stderr-paper.txt")).isNotNull();
            JsonNode serving = JSON.readTree(first);
            String url = serving.get("url").asText();
            assertThat(url).startsWith("http://127.0.0.1:");
            assertThat(serving.get("stream_url").asText()).startsWith("ws://127.0.0.1:").endsWith("/stream");
            assertThat(first).doesNotContain(SECRET);

            HttpResponse<String> account = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url + "/v2/account")).header("APCA-API-KEY-ID", "main")
                    .header("APCA-API-SECRET-KEY", SECRET).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(account.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(account.body()).get("cash").asText()).isEqualTo("10000");

            Run second = Run.of("paper", "serve", "--config", cfg, "--port", "0", "--secret-file", secret);
            assertThat(second.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(second.err()).contains("in use by another owner");
            Run inProcess = Run.of("broker", "account", "--config", cfg);
            assertThat(inProcess.exitCode()).as("a Keel with broker kind paper on the served state file")
                    .isEqualTo(ExitCodes.FAILED);
            assertThat(inProcess.err()).contains("PAPER_STATE_IN_USE").contains("in use by another owner");

            server.destroy(); // SIGTERM
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            Run after = Run.of("broker", "account", "--config", cfg);
            assertThat(after.exitCode()).as(after.err()).isZero();
        } finally {
            server.destroyForcibly();
        }
        assertThat(Files.readString(dir.resolve("stderr-paper.txt"))).doesNotContain(SECRET);
    }

    /** The first JSON document on the child's stdout, read line by line until it is whole; null at the end. */
    static String document(BufferedReader out) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            text.append(line).append('\n');
            if (line.equals("}")) {
                return text.toString();
            }
        }
        return null;
    }

    @Test
    void withoutASecretItRefusesToStart() throws IOException {
        String cfg = CommandsTest.config(dir, "").toString();
        Path empty = dir.resolve("empty.secret");
        Files.writeString(empty, "\n");

        Run run = Run.of("paper", "serve", "--config", cfg, "--port", "0", "--secret-file", empty.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--secret-file").contains("first line is empty");
    }

    @Test
    void brokerOrdersListsEndedOrdersByStatusAndTime() throws IOException {
        String cfg = CommandsTest.config(dir, "").toString();
        assertThat(Run.of("rebalance", "--config", cfg).exitCode()).isZero();

        assertThat(Run.of("broker", "orders", "--config", cfg).out()).contains("No open orders.");
        JsonNode closed = JSON.readTree(Run.of("broker", "orders", "--config", cfg, "--status", "closed", "--json")
                .out());
        assertThat(closed).hasSize(5);
        assertThat(closed.get(0).get("state").asText()).isEqualTo("FILLED");
        Run all = Run.of("broker", "orders", "--config", cfg, "--status", "all");
        assertThat(all.out()).contains("CLIENT ORDER ID", ":sell-VTI");
        Run later = Run.of("broker", "orders", "--config", cfg, "--status", "all", "--after", "2999-01-01");
        assertThat(later.out()).contains("No orders match.");
        Run wrong = Run.of("broker", "orders", "--config", cfg, "--status", "sometimes");
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.err()).contains("--status").contains("sometimes");
        assertThat(Run.of("broker", "orders", "--config", cfg, "--after", "yesterday").exitCode())
                .isEqualTo(ExitCodes.USAGE);
    }
}
