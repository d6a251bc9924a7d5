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

-- Runs of consecutive sequences whose records are tallied. Records outside them (written before this migration, or
-- by a Keel from before it during a rolling upgrade) are counted by the report from the records themselves.
CREATE TABLE tallied_ranges (
    first_seq BIGINT PRIMARY KEY,
    last_seq  BIGINT NOT NULL
);
CREATE INDEX tallied_ranges_by_end ON tallied_ranges (last_seq);
