package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.alpaca.AlpacaBroker;
import dev.keel.alpaca.AlpacaKeys;
import dev.keel.alpaca.AlpacaSettings;
import dev.keel.core.broker.Broker;
import dev.keel.paper.server.KeyRing;
import dev.keel.paper.server.PaperServer;
import dev.keel.paper.server.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * The broker contract over real HTTP: Keel's Alpaca adapter talking to the same paper exchange served by
 * {@link PaperServer} on an ephemeral 127.0.0.1 port. The server and the engine share the harness's simulated clock,
 * so a wait for a fill or for a Retry-After moves the exchange's time too; the exchange's fault plan acts at the HTTP
 * layer (a lost answer is a dropped connection, a rate limit a 429 with Retry-After). The keys are throwaway ones,
 * written to a key file in the test's folder and read as a user's would be.
 */
class AlpacaHttpBrokerContractTest extends BrokerContractTest {
    private PaperServer server;
    private AlpacaBroker broker;

    @Override
    Broker broker(Harness h) {
        String secret = UUID.nameUUIDFromBytes(dir.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        // The shared-secret key ring: the key id names the paper account it trades.
        server = PaperServer.start(h.exchange, ServerSettings.builder(KeyRing.sharedSecret(secret)).port(0)
                .streamPoll(Duration.ZERO).holdFor(Duration.ofSeconds(30)).build(), h.clock);
        AlpacaKeys keys;
        try {
            Path file = Files.writeString(dir.resolve("alpaca.keys"), AlpacaKeys.KEY_ID_VARIABLE + "="
                    + Harness.ACCOUNT + "\n" + AlpacaKeys.SECRET_VARIABLE + "=" + secret + "\n");
            keys = AlpacaKeys.fromFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AlpacaSettings settings = AlpacaSettings.builder(server.url()).dataUrl(server.url())
                .streamUrl(server.streamUrl()).timeout(Duration.ofSeconds(10)).build();
        broker = new AlpacaBroker(Harness.ACCOUNT, settings, keys, h.clock, h.clock);
        return broker;
    }

    @Override
    void stopBroker() {
        if (broker != null) {
            // Every answer under /v2 carries the budget headers: proof that the test went over HTTP.
            assertThat(broker.rateLimit().remaining()).as("answers read from the server's headers").isNotNegative();
            broker.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
