package dev.keel.paper.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MarketDataApiTest {
    private final Served served = new Served();

    @AfterEach
    void close() {
        served.close();
    }

    @Test
    void theLatestQuoteIsTheExchangesBidAndAsk() {
        JsonNode body = served.get(null, "/v2/stocks/VTI/quotes/latest").body();

        assertThat(body.path("symbol").asText()).isEqualTo("VTI");
        assertThat(body.path("quote").path("bp").decimalValue()).isEqualByComparingTo("250");
        assertThat(body.path("quote").path("ap").decimalValue()).isEqualByComparingTo("250");
        assertThat(body.path("quote").path("t").asText()).isEqualTo("2025-03-03T15:00:00Z");
    }

    @Test
    void latestQuotesOfSeveralSymbolsLeaveOutUnknownOnes() {
        JsonNode quotes = served.get(null, "/v2/stocks/quotes/latest?symbols=VTI,TLT,NOPE").body().path("quotes");

        assertThat(quotes.has("VTI")).isTrue();
        assertThat(quotes.path("TLT").path("ap").decimalValue()).isEqualByComparingTo("90");
        assertThat(quotes.has("NOPE")).isFalse();
    }

    @Test
    void dailyBarsComeFromThePricePath() {
        served.clock.advance(Duration.ofDays(3));

        JsonNode body = served.get(null, "/v2/stocks/VTI/bars?timeframe=1Day").body();

        assertThat(body.path("symbol").asText()).isEqualTo("VTI");
        assertThat(body.path("bars")).isNotEmpty();
        assertThat(body.path("bars").get(0).path("c").decimalValue()).isEqualByComparingTo("250");
        assertThat(served.get(null, "/v2/stocks/VTI/bars?timeframe=1Min").status()).isEqualTo(422);
    }
}
