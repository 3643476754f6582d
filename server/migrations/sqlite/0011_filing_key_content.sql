-- What was filed under an idempotency key (a hash of the form), so that a replay is answered
-- with the first receipt only when it carries the same form. Keys stored before have none.
ALTER TABLE filing_keys ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
