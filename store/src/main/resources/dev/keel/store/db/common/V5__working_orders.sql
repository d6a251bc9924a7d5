-- The index of working orders: what of a transaction may still be at the broker, as its last record said it
-- (an OrdersWorking event, written with the transaction's ending and by the protection watch: its orders working or
-- UNKNOWN plus its protective links not ended). NULL when the last record is of any other kind, and for every
-- transaction journaled before this column: unsaid, so the watch reads it and says it. The protection watch and the
-- account check read the records of an account's transactions only when one of them is not known to hold nothing.
ALTER TABLE streams ADD COLUMN working INTEGER;
