-- Event intake (issue 12): the embedded inbox, its dead letters, and the correlation id of each transaction in the
-- streams view, so a redelivered event finds the transaction it started (the event id is that correlation id).

ALTER TABLE streams ADD COLUMN correlation_id TEXT;
CREATE INDEX streams_by_correlation ON streams (correlation_id);

-- Messages waiting or taken. A message is due when visible_at has passed; taking it moves visible_at on by the
-- visibility timeout and sets a new receipt, so a consumer that dies leaves it to be taken again, and only the
-- current receipt settles it.
CREATE TABLE inbox (
    message_id       TEXT    PRIMARY KEY,
    account_id       TEXT,
    body             TEXT    NOT NULL,
    pushed_at        TEXT    NOT NULL,
    visible_at       TEXT    NOT NULL,
    deliveries       INTEGER NOT NULL DEFAULT 0,
    receipt          TEXT,
    first_taken_at   TEXT,
    last_error_code  TEXT,
    last_error       TEXT
);
CREATE INDEX inbox_due ON inbox (visible_at, message_id);

-- Messages that failed for good, kept until an operator retries, resolves or purges them.
CREATE TABLE dead_letters (
    message_id     TEXT    PRIMARY KEY,
    account_id     TEXT,
    body           TEXT    NOT NULL,
    error_code     TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    attempts       INTEGER NOT NULL,
    first_taken_at TEXT,
    dead_at        TEXT    NOT NULL,
    resolved_at    TEXT,
    resolved_by    TEXT,
    note           TEXT
);
CREATE INDEX dead_letters_by_time ON dead_letters (dead_at);
