package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalSamples;
import dev.keel.core.time.IsoInstants;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The journal payload's fast instant and decimal forms write and read exactly what the general code does. */
class PayloadScalarsTest {
    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_9999_END = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    /** The fixed-width form by the general formatter, as {@code Timestamps} wrote it before the fast form. */
    private static final DateTimeFormatter FIXED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    /** Jackson with its own instant handling, as the journal's codec was before the fast forms. */
    private static final ObjectMapper GENERAL = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();

    /** Seconds anywhere in the fast range and a little beyond; nanoseconds of every precision a clock gives. */
    private static Instant draw(SplittableRandom random) {
        long seconds = switch (random.nextInt(4)) {
            case 0 -> random.nextLong(YEAR_0 - 86_400L * 800, YEAR_9999_END + 86_400L * 800);
            case 1 -> random.nextLong(YEAR_0, YEAR_9999_END + 1);
            default -> random.nextLong(1_700_000_000L, 1_900_000_000L); // the years Keel runs in
        };
        int nanos = switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(seconds, nanos);
    }

    @Test
    void writesWhatIsoInstantWritesAndReadsItBackExactly() throws Exception {
        SplittableRandom random = new SplittableRandom(20261206);
        for (int i = 0; i < 1_000_000; i++) {
            Instant at = draw(random);
            String text = IsoInstants.format(at, false);
            assertThat(text).as("%s", at).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(at));
            assertThat(Timestamps.format(at)).as("%s", at).isEqualTo(FIXED.format(at));
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(at);
            Instant fast = IsoInstants.parseFast(text);
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(at);
            }
            assertThat(Timestamps.parse(Timestamps.format(at))).isEqualTo(at);
            if (i % 10 == 0) {
                String json = "\"" + text + "\"";
                assertThat(EventCodec.JSON.writeValueAsString(at)).isEqualTo(GENERAL.writeValueAsString(at));
                assertThat(EventCodec.JSON.readValue(json, Instant.class)).isEqualTo(at);
            }
        }
    }

    @Test
    void readsEveryFractionWidthAsTheGeneralReaderDoes() throws Exception {
        SplittableRandom random = new SplittableRandom(61);
        for (int i = 0; i < 100_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(YEAR_0, YEAR_9999_END + 1));
            String digits = Integer.toString(random.nextInt(1_000_000_000));
            String fraction = digits.substring(0, 1 + random.nextInt(digits.length()));
            String text = DateTimeFormatter.ISO_INSTANT.format(at).replace("Z", "." + fraction + "Z");
            assertThat(IsoInstants.parseFast(text)).as(text).isEqualTo(Instant.parse(text))
                    .isEqualTo(GENERAL.readValue("\"" + text + "\"", Instant.class));
        }
    }

    @Test
    void otherFormsAndOddTextGoToTheGeneralReader() throws Exception {
        for (String other : new String[] {"2026-12-06T05:00:00+01:00", "2026-12-06T05:00Z", "+10000-01-01T00:00:00Z",
            "2026-12-06T05:00:00.Z", "2026-12-06t05:00:00Z", "2026-12-06T05:00:00.1234567890Z"}) {
            assertThat(IsoInstants.parseFast(other)).as(other).isNull();
            assertThat(outcome(IsoInstants::parse, other)).as(other).isEqualTo(outcome(Instant::parse, other));
        }
        // Numbers and offsets are read, or refused, as Jackson always did.
        for (String json : new String[] {"\"2026-12-06T05:00:00+01:00\"", "\"2026-12-06T05:00:00+0100\"",
            "1765000000.5", "\"+10000-01-01T00:00:00Z\"", "\"\"", "null"}) {
            assertThat(outcome(EventCodec.JSON, json)).as(json).isEqualTo(outcome(GENERAL, json));
        }
        for (String bad : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-06T24:00:00Z",
            "2026-12-06T05:60:00Z"}) {
            // Not the fast form's to judge: the general reader refuses these, or reads 24:00 as the next midnight.
            assertThat(IsoInstants.parseFast(bad)).as(bad).isNull();
            assertThat(outcome(IsoInstants::parse, bad)).as(bad).isEqualTo(outcome(Instant::parse, bad));
            assertThat(outcome(EventCodec.JSON, "\"" + bad + "\"")).as(bad)
                    .isEqualTo(outcome(GENERAL, "\"" + bad + "\""));
        }
    }

    @Test
    void decimalsAreReadAsJacksonReadsThem() throws Exception {
        SplittableRandom random = new SplittableRandom(1206);
        for (int i = 0; i < 200_000; i++) {
            BigInteger unscaled = BigInteger.valueOf(random.nextLong())
                    .shiftRight(random.nextInt(64));
            BigDecimal value = new BigDecimal(unscaled, random.nextInt(-12, 20));
            String json = "\"" + value + "\"";
            BigDecimal read = EventCodec.JSON.readValue(json, BigDecimal.class);
            assertThat(read).as(json).isEqualTo(value).isEqualTo(GENERAL.readValue(json, BigDecimal.class));
            assertThat(read.scale()).isEqualTo(value.scale());
        }
        for (String json : new String[] {"\"\"", "\" 1.5\"", "\"1.5 \"", "\"1e5\"", "\"+1\"", "\"1E+\"", "\"--1\"",
            "\"NaN\"", "\"1\u0663\"", "1.25", "12", "null"}) {
            assertThat(outcome(EventCodec.JSON, json, BigDecimal.class)).as(json)
                    .isEqualTo(outcome(GENERAL, json, BigDecimal.class));
        }
    }

    /** The instant {@code read} reads from {@code text}, or the kind of error and its message. */
    private static Object outcome(Function<String, Instant> read, String text) {
        try {
            return read.apply(text);
        } catch (RuntimeException e) {
            return e.getClass() + ": " + e.getMessage();
        }
    }

    private static Object outcome(ObjectMapper mapper, String json) {
        return outcome(mapper, json, Instant.class);
    }

    /** The value read, or the kind of error. */
    private static Object outcome(ObjectMapper mapper, String json, Class<?> type) {
        try {
            return String.valueOf(mapper.readValue(json, type));
        } catch (Exception e) {
            return e.getClass();
        }
    }

    @Test
    void everyEventTypeIsWrittenAsTheGeneralMapperWritesIt() throws Exception {
        ObjectMapper general = GENERAL.copy().registerModule(new SimpleModule()
                .addSerializer(BigDecimal.class,
                        ToStringSerializer.instance));
        for (JournalEvent event : JournalSamples.everyType("tx-1", "acct-1")) {
            assertThat(EventCodec.encode(event).payload()).as(event.getClass().getSimpleName())
                    .isEqualTo(general.writeValueAsString(event));
        }
    }
}
