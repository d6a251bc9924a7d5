-- Each account's lease epoch: the fencing token of the process that holds the account (law 13 across processes).
-- Taking the lease moves the epoch on, under the journal head's row lock; every fenced append checks it there too,
-- so an append by a holder that lost the lease is refused, never written.
CREATE TABLE account_leases (
    account_id TEXT    PRIMARY KEY,
    epoch      BIGINT  NOT NULL,
    taken_at   TEXT    NOT NULL
);
