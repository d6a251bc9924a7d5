-- The journal: append-only events, the view of their streams kept in the same transaction, and what was archived.

-- One row: the last sequence handed out. Every append takes it, which serialises writers and keeps sequences gap-free.
CREATE TABLE journal_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL
);
INSERT INTO journal_head (id, last_seq) VALUES (1, 0);

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    stream_id   TEXT    NOT NULL,
    stream_kind TEXT    NOT NULL,
    account_id  TEXT,
    type        TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    checksum    INTEGER NOT NULL
);
CREATE INDEX events_by_stream ON events (stream_id, seq);

CREATE TABLE streams (
    stream_id     TEXT    PRIMARY KEY,
    kind          TEXT    NOT NULL,
    account_id    TEXT,
    operation     TEXT,
    status        TEXT,
    opened_at     TEXT    NOT NULL,
    closed_at     TEXT,
    closed        INTEGER NOT NULL DEFAULT 0,
    error_message TEXT,
    first_seq     INTEGER NOT NULL,
    last_seq      INTEGER NOT NULL
);
CREATE INDEX streams_open ON streams (kind, closed, first_seq);
CREATE INDEX streams_by_account ON streams (account_id, kind, first_seq);
CREATE INDEX streams_by_end ON streams (kind, closed, closed_at);

CREATE TABLE archives (
    archive_id   INTEGER PRIMARY KEY,
    file         TEXT    NOT NULL UNIQUE,
    cutoff       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    transactions INTEGER NOT NULL,
    records      INTEGER NOT NULL,
    first_seq    INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL
);

-- Runs of consecutive sequences that left the live journal, so replay tells an archived gap from a lost record.
CREATE TABLE archived_ranges (
    first_seq  INTEGER PRIMARY KEY,
    last_seq   INTEGER NOT NULL,
    archive_id INTEGER NOT NULL REFERENCES archives (archive_id)
);
