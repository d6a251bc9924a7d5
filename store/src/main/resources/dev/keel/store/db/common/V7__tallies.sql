-- The meters each record moves on its own (Tallies.of in core: transactions by status, errors by code, retries,
-- recoveries, drift, durations, trading state changes, notifications), tallied by the minute of the records' time
-- and written in the append's transaction, so they are exactly what the journal holds. The health report of a day
-- (keel status, the dashboard, the API) sums these rows instead of decoding the day's records (issue 15: 1.4-2.2 s on
-- 10,000 transactions). A counter's row has n and zero sums; a distribution's (drift, duration) its sum and peak.
CREATE TABLE tallies (
    minute BIGINT           NOT NULL,
    meter  TEXT             NOT NULL,
    n      BIGINT           NOT NULL,
    total  DOUBLE PRECISION NOT NULL,
    peak   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (minute, meter)
);

-- The transactions a record of a minute marked for the report to read (Tallies.attention): what no tally can say,
-- the orders in flight or of unknown outcome and a resubmit's answer, is folded from their records.
CREATE TABLE tally_attention (
    minute    BIGINT NOT NULL,
    stream_id TEXT   NOT NULL,
    PRIMARY KEY (minute, stream_id)
);

-- What no writer tallied: the records before this migration, and those a Keel from before it appends during a rolling
-- upgrade. The report counts these from the records themselves. journal_head.tallied_seq is the last sequence of the
-- run the writers are tallying: a writer that takes sequences after a head it did not tally records the gap here.
-- Kept on the head's row, which every append writes anyway, so tallying costs a batch no page of its own.
CREATE TABLE untallied_ranges (
    after_seq BIGINT PRIMARY KEY,
    up_to_seq BIGINT NOT NULL
);
ALTER TABLE journal_head ADD COLUMN tallied_seq BIGINT NOT NULL DEFAULT 0;
INSERT INTO untallied_ranges (after_seq, up_to_seq) SELECT 0, last_seq FROM journal_head WHERE last_seq > 0;
UPDATE journal_head SET tallied_seq = last_seq;
