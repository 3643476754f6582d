-- A globally unique id per message (a UUID, version 7: its time, then random bits), sent to the
-- provider as its idempotency key and in the e-mail's Message-ID. The row number was unique in
-- one database only: a second deployment, a restored backup or a fresh demonstration database
-- would reuse a key the provider keeps for a day or more, and the provider would drop the message.
ALTER TABLE outbox ADD COLUMN uid TEXT;
-- The rows already here: a version-7 UUID of their creation time (milliseconds) and random bits.
UPDATE outbox SET uid =
    substr(printf('%012x', created_at), 1, 8) || '-' || substr(printf('%012x', created_at), 9, 4)
    || '-7' || substr(lower(hex(randomblob(2))), 1, 3)
    || '-' || substr('89ab', (abs(random()) % 4) + 1, 1) || substr(lower(hex(randomblob(2))), 1, 3)
    || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX outbox_uid ON outbox (uid);
