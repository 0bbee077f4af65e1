-- A ledger row's own key, written with it: a batch retried after a failure whose commit is
-- unknown (the connection dropped after COMMIT was sent) skips the rows already stored instead
-- of counting their cost twice. Rows written before this migration have none.
ALTER TABLE usage ADD COLUMN row_key uuid;
CREATE UNIQUE INDEX usage_row_key ON usage (row_key);
