package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.JournalCorruptException;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.JournalSamples;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.OrderUpdated;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static JournalEvent roundTrip(JournalEvent event) {
        EventCodec.Encoded encoded = EventCodec.encode(event);
        long checksum = Checksums.of(7, event.streamId(), encoded.type(), encoded.payload());
        return EventCodec.decode(new StoredRow(7, event.streamId(), encoded.type(), encoded.payload(), checksum))
                .event();
    }

    @Test
    void everyEventTypeHasASampleAndIsKnownToTheCodec() {
        assertThat(JournalSamples.typesWithoutSample()).isEmpty();
        assertThat(new HashSet<>(EventCodec.types().values()))
                .isEqualTo(new HashSet<>(JournalSamples.concreteTypes(JournalEvent.class)));
    }

    @Test
    void everyEventTypeRoundTripsToAnEqualEvent() {
        for (JournalEvent event : JournalSamples.everyType("tx-1", "acct-1")) {
            assertThat(roundTrip(event)).as(event.getClass().getSimpleName()).isEqualTo(event);
        }
    }

    @Test
    void stopOrderIntentKeepsItsStopPrice() {
        JournalEvent intent = JournalSamples.stopIntent("tx-1", "acct-1", "sell-VTI", JournalSamples.T0);

        assertThat(roundTrip(intent)).isEqualTo(intent);
        assertThat(EventCodec.encode(intent).payload()).contains("\"stopPrice\":\"240.50\"");
    }

    @Test
    void decimalsKeepTheirScaleIncludingNegativeOnes() {
        OrderUpdated update = (OrderUpdated) JournalSamples.everyType("tx-1", "acct-1").get(5);
        assertThat(update.filledQuantity().scale()).isEqualTo(-2);

        OrderUpdated back = (OrderUpdated) roundTrip(update);

        assertThat(back.filledQuantity().scale()).isEqualTo(-2);
        assertThat(back.filledAvgPrice()).isEqualTo(new BigDecimal("90.1000"));
        assertThat(EventCodec.encode(update).payload()).contains("\"filledAvgPrice\":\"90.1000\"")
                .contains("\"at\":\"2025-03-03T14:30:00.127456789Z\"");
    }

    @Test
    void typeIsTheRecordsSimpleName() {
        List<String> types = JournalSamples.everyType("tx-1", "acct-1").stream()
                .map(e -> EventCodec.encode(e).type()).toList();

        assertThat(types).startsWith("TransactionStarted", "PlanInputsRecorded", "OrderIntentRecorded").contains("NotificationSettled");
    }

    @Test
    void unknownTypeWithAValidChecksumIsReportedAsCorrupt() {
        long checksum = Checksums.of(4, "tx-1", "FutureEvent", "{}");

        assertThatThrownBy(() -> EventCodec.decode(new StoredRow(4, "tx-1", "FutureEvent", "{}", checksum)))
                .isInstanceOfSatisfying(JournalCorruptException.class, e -> assertThat(e.sequence()).isEqualTo(4))
                .hasMessageContaining("FutureEvent");
    }

    @Test
    void checksumCoversSequenceStreamTypeAndPayload() {
        long base = Checksums.of(1, "tx-1", "T", "{}");

        assertThat(List.of(Checksums.of(2, "tx-1", "T", "{}"), Checksums.of(1, "tx-2", "T", "{}"),
                Checksums.of(1, "tx-1", "U", "{}"), Checksums.of(1, "tx-1", "T", "{ }"),
                Checksums.of(1, "tx-1T", "", "{}"))).doesNotContain(base);
    }

    @Test
    void recordSurvivesTheArchiveLineFormat() throws Exception {
        JournalEvent event = JournalSamples.everyType("tx-1", "acct-1").get(8);
        EventCodec.Encoded encoded = EventCodec.encode(event);
        StoredRow row = new StoredRow(9, "tx-1", encoded.type(), encoded.payload(),
                Checksums.of(9, "tx-1", encoded.type(), encoded.payload()));

        String line = EventCodec.JSON.writeValueAsString(ArchiveFile.Line.of(row));
        StoredRow back = EventCodec.JSON.readValue(line, ArchiveFile.Line.class).row();

        assertThat(EventCodec.decode(back)).isEqualTo(new JournalRecord(9, event));
    }

    @Test
    void notificationQueuedWithCodeAndChannelsRoundTrips() {
        NotificationQueued page = new NotificationQueued("n-2", "acct-1", null, Severity.HIGH, "ESCALATED", "b",
                JournalSamples.T0, ErrorCode.ACCOUNT_HALTED, List.of("sms"));
        assertThat(roundTrip(page)).isEqualTo(page);
    }

    @Test
    void notificationQueuedWrittenBeforeCodeAndChannelsDecodesWithNeither() {
        String payload = "{\"notificationId\":\"n-1\",\"accountId\":\"a\",\"txId\":null,\"severity\":\"HIGH\","
                + "\"title\":\"t\",\"body\":\"b\",\"at\":\"2025-03-03T14:30:00Z\"}";
        long checksum = Checksums.of(7, "notification:n-1", "NotificationQueued", payload);
        JournalEvent decoded = EventCodec.decode(new StoredRow(7, "notification:n-1", "NotificationQueued", payload,
                checksum)).event();
        assertThat(decoded).isEqualTo(new NotificationQueued("n-1", "a", null, Severity.HIGH, "t", "b",
                java.time.Instant.parse("2025-03-03T14:30:00Z")));
    }
}
