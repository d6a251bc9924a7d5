-- The index of working orders: what of a transaction may still be at the broker, as its last record said it
-- (an OrdersWorking event, written with the transaction's ending and by the protection watch: its orders working or
-- UNKNOWN plus its protective links not ended), and that record's sequence. The count holds only while working_seq
-- is the stream's last_seq: any later record makes it unsaid, also one appended by a Keel from before this column
-- (a worker not yet upgraded), which moves last_seq and knows nothing of working. Every transaction journaled before
-- is unsaid: the protection watch reads it once and says it. The watch and the account check read the records of an
-- account's transactions only when one of them is not known to hold nothing.
ALTER TABLE streams ADD COLUMN working INTEGER;
ALTER TABLE streams ADD COLUMN working_seq BIGINT;
