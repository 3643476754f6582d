-- A globally unique id per message (a UUID, version 7: its time, then random bits), sent to the
-- provider as its idempotency key and in the e-mail's Message-ID. The row number was unique in
-- one database only: a second deployment, a restored backup or a fresh demonstration database
-- would reuse a key the provider keeps for a day or more, and the provider would drop the message.
ALTER TABLE outbox ADD COLUMN uid TEXT;
-- The rows already here: a version-7 UUID of their creation time (milliseconds) and random bits.
UPDATE outbox SET uid =
    substr(lpad(to_hex(created_at), 12, '0'), 1, 8) || '-' || substr(lpad(to_hex(created_at), 12, '0'), 9, 4)
    || '-7' || substr(md5(random()::text), 1, 3)
    || '-' || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(md5(random()::text), 1, 3)
    || '-' || substr(md5(random()::text), 1, 12);
ALTER TABLE outbox ALTER COLUMN uid SET NOT NULL;
CREATE UNIQUE INDEX outbox_uid ON outbox (uid);
