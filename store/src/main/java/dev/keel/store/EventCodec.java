package dev.keel.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import dev.keel.core.journal.JournalCorruptException;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.time.IsoInstants;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Journal events as JSON. The type is the record's simple name, found from the sealed {@link JournalEvent} family
 * itself, so a new event needs no registration. BigDecimals are written as strings by {@link BigDecimal#toString()}
 * and read back by {@code new BigDecimal(String)}: value and scale survive, negative scales ({@code 1E+2}) too.
 * Instants are ISO-8601 text, written and read by {@link IsoInstants}; both are read through a {@link FastReader}.
 */
final class EventCodec {
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("keel-payload-scalars")
                    .addSerializer(BigDecimal.class, ToStringSerializer.instance)
                    .addDeserializer(BigDecimal.class, new FastReader<>(BigDecimal.class, EventCodec::plainDecimal,
                            NumberDeserializers.BigDecimalDeserializer.instance))
                    .addSerializer(Instant.class, new InstantWriter())
                    .addDeserializer(Instant.class, new FastReader<>(Instant.class, IsoInstants::parseFast,
                            InstantDeserializer.INSTANT)))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final Map<String, Class<? extends JournalEvent>> TYPES = types();

    /**
     * A value read from its string form by {@code fast} when that knows the form (it returns null when not), else by
     * Jackson's own reader, which takes every other token and text as before and says why a bad one is bad.
     */
    static final class FastReader<T> extends StdScalarDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient Function<String, T> fast;
        private final transient JsonDeserializer<T> general;

        FastReader(Class<T> type, Function<String, T> fast, JsonDeserializer<T> general) {
            super(type);
            this.fast = fast;
            this.general = general;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                T value = fast.apply(p.getText());
                if (value != null) {
                    return value;
                }
            }
            return general.deserialize(p, ctxt);
        }
    }

    /**
     * A decimal as {@link BigDecimal#toString()} writes it, read by {@code new BigDecimal(String)} alone; null for any
     * other text (blanks, anything but ASCII digits, signs, a point and an exponent). Jackson's own reader first runs a
     * regular expression over the text: a tenth of the CPU of replaying a day of records.
     */
    static BigDecimal plainDecimal(String text) {
        int length = text.length();
        if (length == 0 || length > 64 || !digit(text.charAt(length - 1))) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!digit(c) && c != '-' && c != '.' && c != 'E' && c != '+') {
                return null;
            }
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null; // not a number after all: Jackson's reader says so in its own words
        }
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private EventCodec() {
    }

    /** An event ready to be written: its type name and payload, computed on the caller's thread. */
    record Encoded(JournalEvent event, String type, String payload) {
    }

    static Encoded encode(JournalEvent event) {
        try {
            return new Encoded(event, event.getClass().getSimpleName(), JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + event.getClass().getSimpleName(), e);
        }
    }

    /** Verifies the row's checksum and decodes it; a bad row is a {@link JournalCorruptException} at its sequence. */
    static JournalRecord decode(StoredRow row) {
        return decodeVerified(row.verified());
    }

    /** Decodes a row whose checksum was verified already ({@link SequenceCheck#accept}): once is enough. */
    static JournalRecord decodeVerified(StoredRow row) {
        Class<? extends JournalEvent> type = TYPES.get(row.type());
        if (type == null) {
            throw new JournalCorruptException(row.sequence(), "unknown event type '" + row.type() + "'");
        }
        try {
            return new JournalRecord(row.sequence(), JSON.readValue(row.payload(), type));
        } catch (JsonProcessingException e) {
            // The checksum matched, so this is a payload that this version cannot read, not a torn write.
            throw new JournalCorruptException(row.sequence(),
                    "payload of " + row.type() + " does not decode: " + e.getOriginalMessage());
        }
    }

    /** Every concrete event type by simple name. */
    static Map<String, Class<? extends JournalEvent>> types() {
        Map<String, Class<? extends JournalEvent>> types = new TreeMap<>();
        collect(JournalEvent.class, types);
        return Map.copyOf(types);
    }

    private static void collect(Class<?> sealed, Map<String, Class<? extends JournalEvent>> into) {
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            if (permitted.isSealed()) {
                collect(permitted, into);
                continue;
            }
            Class<? extends JournalEvent> type = permitted.asSubclass(JournalEvent.class);
            Class<?> clash = into.put(type.getSimpleName(), type);
            if (clash != null) {
                throw new IllegalStateException("two journal events share the simple name "
                        + type.getSimpleName() + ": " + clash.getName() + " and " + type.getName());
            }
        }
    }

    /** Jackson's writing of instants in journal payloads, through {@link IsoInstants#format}. */
    private static final class InstantWriter extends StdScalarSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantWriter() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(IsoInstants.format(value, false));
        }
    }
}
