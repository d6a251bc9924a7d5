package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The journal's timestamps read back exactly as written, by the fast reader and by the general one alike. */
class TimestampsTest {
    @Test
    void everyWrittenInstantReadsBackExactlyAndAsInstantParseReadsIt() {
        SplittableRandom random = new SplittableRandom(20261205);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(min, max + 1), random.nextInt(1_000_000_000));
            String text = Timestamps.format(at);
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(at).isEqualTo(Instant.parse(text));
        }
        for (String edge : new String[] {"1970-01-01T00:00:00.000000000Z", "2024-02-29T23:59:59.999999999Z",
            "9999-12-31T23:59:59.999999999Z", "0001-01-01T00:00:00.000000000Z"}) {
            assertThat(Timestamps.parse(edge)).isEqualTo(Instant.parse(edge));
        }
    }

    @Test
    void otherFormsGoToTheGeneralParserAndBadTextIsRefused() {
        assertThat(Timestamps.parse(null)).isNull();
        assertThat(Timestamps.parse("2026-03-02T15:00:00Z")).isEqualTo(Instant.parse("2026-03-02T15:00:00Z"));
        assertThat(Timestamps.parse("+10000-01-01T00:00:00.000000000Z"))
                .isEqualTo(Instant.parse("+10000-01-01T00:00:00Z"));
        // what Instant.parse accepts beyond the written form (end of day, a leap second), it still reads
        for (String odd : new String[] {"2026-01-01T24:00:00.000000000Z", "2026-01-01T23:59:60.000000000Z"}) {
            assertThat(Timestamps.parse(odd)).isEqualTo(Instant.parse(odd));
        }
        for (String bad : new String[] {"2025-02-29T00:00:00.000000000Z", "2026-13-01T00:00:00.000000000Z",
            "2026-01-01T00:00:00.00000000xZ", "2026-04-31T00:00:00.000000000Z"}) {
            assertThatThrownBy(() -> Timestamps.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }
}
