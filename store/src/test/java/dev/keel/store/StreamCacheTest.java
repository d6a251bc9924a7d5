package dev.keel.store;

import static dev.keel.core.journal.JournalSamples.T0;
import static dev.keel.core.journal.JournalSamples.intent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.journal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamCacheTest {

    private static List<JournalRecord> records(String stream, long... sequences) {
        List<JournalRecord> records = new ArrayList<>();
        for (long s : sequences) {
            records.add(new JournalRecord(s, intent(stream, "acct-1", "leg-" + s, T0)));
        }
        return List.copyOf(records);
    }

    @Test
    void keepsTheLongestReadOfAStreamWhateverOrderReadersPutThemIn() {
        StreamCache cache = new StreamCache(100);
        cache.put("tx-1", records("tx-1", 1, 4, 7));
        cache.put("tx-1", records("tx-1", 1, 4)); // a reader that started earlier puts last
        assertThat(cache.get("tx-1").getLast().sequence()).isEqualTo(7);
        assertThat(cache.get("tx-1")).hasSize(3);
        assertThat(cache.size()).isEqualTo(3);
        cache.put("tx-1", records("tx-1", 1, 4, 7, 9));
        assertThat(cache.get("tx-1").getLast().sequence()).isEqualTo(9);
        assertThat(cache.size()).isEqualTo(4);
    }

    @Test
    void anEmptyStreamIsNotKept() {
        StreamCache cache = new StreamCache(100);
        cache.put("n-1", List.of());
        assertThat(cache.get("n-1")).isNull();
    }

    @Test
    void keepsAtMostItsBoundOfRecordsDroppingTheLeastRecentlyReadStreams() {
        StreamCache cache = new StreamCache(5);
        cache.put("a", records("a", 1, 2));
        cache.put("b", records("b", 3, 4));
        assertThat(cache.get("a")).isNotNull(); // read: "b" is now the least recently read
        cache.put("c", records("c", 5, 6));
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isNotNull();
        assertThat(cache.get("c")).isNotNull();
        assertThat(cache.size()).isEqualTo(4);
        cache.put("huge", records("huge", 7, 8, 9, 10, 11, 12));
        assertThat(cache.get("huge")).as("larger than the whole bound").isNull();
        cache.clear();
        assertThat(cache.size()).isZero();
        assertThat(cache.get("a")).isNull();
    }
}
