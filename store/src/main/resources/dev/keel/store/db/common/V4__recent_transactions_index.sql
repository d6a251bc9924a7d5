-- The newest transactions, of every account (keel tx list, the API, the dashboard): ordered by first_seq within the
-- kind, so the read is a walk down the index instead of a sort of every transaction (issue 13's API bench: 70-90 ms
-- on 100,000 transactions without it).
CREATE INDEX streams_recent ON streams (kind, first_seq);
