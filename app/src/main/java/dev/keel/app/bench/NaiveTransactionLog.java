package dev.keel.app.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rebalancer document's {@code TransactionLogger}, ported as written: one JSON file per transaction, read,
 * parsed and rewritten whole on every recorded order. As in the document, a write is not synced unless
 * {@code fsync} is set (the document's version can lose or tear a file on power loss).
 */
final class NaiveTransactionLog {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path dir;
    private final boolean fsync;
    private final Clock clock;

    NaiveTransactionLog(Path dir, boolean fsync, Clock clock) {
        this.dir = dir;
        this.fsync = fsync;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document's {@code TransactionLogEntry}. */
    record Entry(@JsonProperty("transaction_id") String transactionId, @JsonProperty("timestamp") String timestamp,
                 @JsonProperty("operation") String operation,
                 @JsonProperty("target_orders") Map<String, BigDecimal> targetOrders,
                 @JsonProperty("executed_orders") List<Map<String, Object>> executedOrders,
                 @JsonProperty("status") String status, @JsonProperty("error_message") String errorMessage,
                 @JsonProperty("reconciliation_notes") String reconciliationNotes) {
    }

    String begin(String operation, Map<String, BigDecimal> targetOrders) {
        String id = UUID.randomUUID().toString();
        save(new Entry(id, clock.instant().toString(), operation, targetOrders, List.of(), "in_progress", null,
                null));
        return id;
    }

    void recordOrder(String transactionId, Map<String, Object> orderResult) {
        Entry e = load(transactionId);
        List<Map<String, Object>> executed = new ArrayList<>(e.executedOrders());
        executed.add(orderResult);
        save(new Entry(e.transactionId(), e.timestamp(), e.operation(), e.targetOrders(), executed, e.status(),
                e.errorMessage(), e.reconciliationNotes()));
    }

    void complete(String transactionId, String status, String reconciliationNotes) {
        Entry e = load(transactionId);
        save(new Entry(e.transactionId(), e.timestamp(), e.operation(), e.targetOrders(), e.executedOrders(), status,
                e.errorMessage(), reconciliationNotes));
    }

    private void save(Entry entry) {
        Path file = dir.resolve(entry.transactionId() + ".json");
        try {
            byte[] bytes = JSON.writeValueAsBytes(entry);
            if (!fsync) {
                Files.write(file, bytes);
                return;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private Entry load(String transactionId) {
        Path file = dir.resolve(transactionId + ".json");
        try {
            return JSON.readValue(Files.readAllBytes(file), Entry.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
