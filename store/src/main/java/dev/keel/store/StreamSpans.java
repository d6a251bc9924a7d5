package dev.keel.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the records after a sequence say of each stream they belong to, gathered as a check reads them in order: where
 * each stream's records begin and end there, and whether each links back to the stream's previous record. A stream
 * is read by those links ({@link StreamChain}), so a wrong link is damage a read would not see; {@link IntegrityCheck}
 * holds the spans against the view of streams.
 */
final class StreamSpans {
    /** One stream's records among those read: the first, its link back (null: none), and the last. */
    static final class Span {
        final long first;
        final Long firstLink;
        long last;

        Span(long first, Long firstLink) {
            this.first = first;
            this.firstLink = firstLink;
            this.last = first;
        }
    }

    private final Map<String, Span> spans = new LinkedHashMap<>();
    private final List<String> findings = new ArrayList<>();
    private List<String> viewFindings = List.of();

    /** The next record in sequence order and its link back, null where it has none. */
    void accept(long seq, String streamId, Long link) {
        Span span = spans.get(streamId);
        if (span == null) {
            spans.put(streamId, new Span(seq, link));
            return;
        }
        // A record without a link was appended by a Keel from before schema 6; reads find what precedes it by range.
        if (link != null && link != span.last && findings.size() < IntegrityCheck.MAX_FINDINGS) {
            findings.add("record " + seq + " of " + streamId + " links back to record " + link + " but the stream's"
                    + " previous record is " + span.last + ": a read of the stream would miss records");
        }
        span.last = seq;
    }

    Map<String, Span> spans() {
        return spans;
    }

    /** The links found wrong among the records read. */
    List<String> findings() {
        return findings;
    }

    /** What {@link IntegrityCheck#views} found, in the snapshot the records were read in. */
    void viewsChecked(List<String> found) {
        this.viewFindings = List.copyOf(found);
    }

    List<String> viewFindings() {
        return viewFindings;
    }
}
