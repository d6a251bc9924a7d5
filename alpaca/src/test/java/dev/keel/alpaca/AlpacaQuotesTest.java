package dev.keel.alpaca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.model.Symbol;
import dev.keel.core.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlpacaQuotesTest {
    private static final Symbol VTI = Symbol.of("VTI");

    private final ManualClock clock = new ManualClock(Instant.parse("2024-04-15T15:00:00Z"));
    private AlpacaStub alpaca;
    private AlpacaBroker broker;

    @BeforeEach
    void start() throws IOException {
        alpaca = new AlpacaStub();
        broker = new AlpacaBroker("a", AlpacaSettings.builder(alpaca.url()).dataUrl(alpaca.url()).build(),
                AlpacaBrokerTest.KEYS, clock, clock);
    }

    @AfterEach
    void stop() {
        broker.close();
        alpaca.close();
    }

    @Test
    void theDelayedSourceAsksForItsOwnFeed() {
        alpaca.on("GET", "/v2/stocks/VTI/quotes/latest", 200, Fixtures.QUOTE.replace("AAPL", "VTI"));

        var quote = AlpacaQuotes.feed(broker, "delayed", "delayed_sip", clock).quote(VTI);

        assertThat(quote).hasValueSatisfying(q -> assertThat(q.bid()).isEqualByComparingTo("172.5"));
        assertThat(alpaca.last().query()).isEqualTo("feed=delayed_sip");
    }

    @Test
    void lastCloseIsTheCloseOfTheLatestCompletedDailySession() {
        alpaca.on("GET", "/v2/stocks/VTI/bars", 200, "{\"bars\":[{\"t\":\"2024-04-11T04:00:00Z\",\"o\":1,\"h\":2,"
                + "\"l\":1,\"c\":250.5},{\"t\":\"2024-04-12T04:00:00Z\",\"o\":1,\"h\":2,\"l\":1,\"c\":251.25},"
                + "{\"t\":\"2024-04-15T04:00:00Z\",\"o\":1,\"h\":2,\"l\":1,\"c\":299}],\"symbol\":\"VTI\"}");

        var quote = AlpacaQuotes.lastClose(broker, "last-close", clock).quote(VTI);

        assertThat(quote).hasValueSatisfying(q -> {
            assertThat(q.bid()).isEqualByComparingTo("251.25");
            assertThat(q.ask()).isEqualByComparingTo("251.25");
            assertThat(q.at()).as("the 12th's session closed at 16:00 New York").isEqualTo(
                    Instant.parse("2024-04-12T20:00:00Z"));
        });
    }

    @Test
    void onlyDailyBarsAreServed() {
        var source = AlpacaQuotes.lastClose(broker, "last-close", clock);

        assertThat(source.bars(VTI, clock.instant().minus(Duration.ofDays(1)), clock.instant(), Duration.ofHours(1)))
                .isEmpty();
        assertThat(alpaca.received()).isEmpty();
    }
}
