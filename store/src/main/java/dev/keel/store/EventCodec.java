package dev.keel.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.keel.core.journal.JournalCorruptException;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Journal events as JSON. The type is the record's simple name, found from the sealed {@link JournalEvent} family
 * itself, so a new event needs no registration. BigDecimals are written as strings by {@link BigDecimal#toString()}
 * and read back by {@code new BigDecimal(String)}: value and scale survive, negative scales ({@code 1E+2}) too.
 */
final class EventCodec {
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("keel-exact-decimals").addSerializer(BigDecimal.class,
                    ToStringSerializer.instance))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final Map<String, Class<? extends JournalEvent>> TYPES = types();

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
