package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
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

/**
 * A real {@code keel serve} JVM: it says where it serves once it has recovered, answers the API with the token from
 * its token file, and on SIGTERM stops taking work and exits 0.
 */
class ServeProcessTest {
    @TempDir
    Path dir;

    @Test
    void servesThenStopsCleanlyOnSigterm() throws Exception {
        Path token = dir.resolve("api-token");
        Files.writeString(token, ServeApiTest.TOKEN + "\n");
        Path config = dir.resolve("keel.yaml");
        Files.writeString(config, ServeApiTest.CONFIG.formatted(dir)
                .replace("serve: { port: 0 }", "serve: { port: 0, token-file: " + token + " }"));
        Process serve = ChildKeel.start(dir, "serve", "--config", config.toString(), "--json");
        try {
            StringBuilder doc = new StringBuilder();
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                doc.append(line).append('\n');
                if (line.equals("}")) {
                    break; // the one JSON document it prints once it is serving
                }
            }
            JsonNode serving = Output.jsonMapper().readTree(doc.toString());
            String url = serving.get("url").asText();
            assertThat(url).startsWith("http://127.0.0.1:");
            assertThat(serving.get("token").asText()).contains(token.toString()).doesNotContain(ServeApiTest.TOKEN);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            HttpResponse<String> accounts = http.send(HttpRequest.newBuilder(URI.create(url + "/api/accounts"))
                    .header("Authorization", "Bearer " + ServeApiTest.TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accounts.statusCode()).isEqualTo(200);

            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("stopped within the bound").isTrue();
            assertThat(serve.exitValue()).as(Files.readString(dir.resolve("stderr-serve.txt"))).isZero();
        } finally {
            serve.destroyForcibly();
        }
    }
}
