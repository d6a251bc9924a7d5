-- Each record points back to the previous live record of its stream (prev_seq, null for a stream's first), and a
-- stream is read by following those links back from its view's last_seq: each step a lookup by sequence, the events
-- table's own key. The index by (stream_id, seq) that reads used before goes: with the streams of many accounts in
-- one commit, every stream's entry landed on a page of its own, and writing those pages was the larger part of a
-- group commit (issue 15: 30,000 -> 60,000 appends/s without it). The links of the records already here are filled
-- in from that index before it is dropped. A record appended by a Keel from before this column has no link; readers
-- find its stream's earlier records by sequence range instead (JdbcJournal.stream).
ALTER TABLE events ADD COLUMN prev_seq BIGINT;
UPDATE events SET prev_seq = (SELECT MAX(p.seq) FROM events p WHERE p.stream_id = events.stream_id
                                                                AND p.seq < events.seq);
DROP INDEX events_by_stream;
