-- The journal: append-only events, the view of their streams kept in the same transaction, and what was archived.
-- One schema for both dialects; the placeholders are the keys (Dialect.java): in SQLite an INTEGER PRIMARY KEY is
-- the row id itself, in PostgreSQL a BIGINT.

-- One row: the last sequence handed out. Every append takes it, which serialises writers and keeps sequences gap-free.
CREATE TABLE journal_head (
    id       SMALLINT PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL
);
INSERT INTO journal_head (id, last_seq) VALUES (1, 0);

CREATE TABLE events (
    seq         ${sequence_key},
    stream_id   TEXT    NOT NULL,
    stream_kind TEXT    NOT NULL,
    account_id  TEXT,
    type        TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    checksum    BIGINT  NOT NULL
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
    closed        SMALLINT NOT NULL DEFAULT 0,
    error_message TEXT,
    first_seq     BIGINT  NOT NULL,
    last_seq      BIGINT  NOT NULL
);
CREATE INDEX streams_open ON streams (kind, closed, first_seq);
CREATE INDEX streams_by_account ON streams (account_id, kind, first_seq);
CREATE INDEX streams_by_end ON streams (kind, closed, closed_at);

CREATE TABLE archives (
    archive_id   ${generated_key},
    file         TEXT    NOT NULL UNIQUE,
    cutoff       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    transactions BIGINT  NOT NULL,
    records      BIGINT  NOT NULL,
    first_seq    BIGINT  NOT NULL,
    last_seq     BIGINT  NOT NULL
);

-- Runs of consecutive sequences that left the live journal, so replay tells an archived gap from a lost record.
CREATE TABLE archived_ranges (
    first_seq  BIGINT  PRIMARY KEY,
    last_seq   BIGINT  NOT NULL,
    archive_id BIGINT  NOT NULL REFERENCES archives (archive_id)
);
