package dev.keel.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.keel.core.journal.JournalCorruptException;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Journal events as JSON. The type is the record's simple name, found from the sealed {@link JournalEvent} family
 * itself, so a new event needs no registration. BigDecimals are written as strings by {@link BigDecimal#toString()}
 * and read back by {@code new BigDecimal(String)}: value and scale survive, negative scales ({@code 1E+2}) too.
 * Instants are ISO-8601 text, written and read by {@link IsoInstants}.
 */
final class EventCodec {
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(IsoInstants.module())
            .addModule(new SimpleModule("keel-exact-decimals").addSerializer(BigDecimal.class,
                    ToStringSerializer.instance).addDeserializer(BigDecimal.class, new DecimalReader()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final Map<String, Class<? extends JournalEvent>> TYPES = types();

    /**
     * Reads a decimal that {@link BigDecimal#toString()} wrote with {@code new BigDecimal(String)} alone. Jackson's own
     * reader first runs a regular expression over the text, a tenth of the CPU of replaying a day of records; any other
     * token or text (numbers, blanks, anything but ASCII digits, signs, a point and an exponent) goes to it unchanged.
     */
    static final class DecimalReader extends StdScalarDeserializer<BigDecimal> {
        private static final long serialVersionUID = 1L;

        DecimalReader() {
            super(BigDecimal.class);
        }

        @Override
        public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                String text = p.getText();
                if (plain(text)) {
                    try {
                        return new BigDecimal(text);
                    } catch (NumberFormatException e) {
                        // not a number after all: Jackson's reader says so in its own words
                    }
                }
            }
            return NumberDeserializers.BigDecimalDeserializer.instance.deserialize(p, ctxt);
        }

        private static boolean plain(String text) {
            int length = text.length();
            if (length == 0 || length > 64 || !digit(text.charAt(length - 1))) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (!digit(c) && c != '-' && c != '.' && c != 'E' && c != '+') {
                    return false;
                }
            }
            return true;
        }

        private static boolean digit(char c) {
            return c >= '0' && c <= '9';
        }
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
        row.verified();
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
}
