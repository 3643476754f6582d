-- One-time codes sent by text message to a consumer who lost a query code, to prove the mobile
-- number on their cases: the code only as a keyed hash, until when it holds and how many tries it
-- has used. Keyed by a keyed hash of the number, so the table holds no phone numbers.
CREATE TABLE phone_codes (
    key        TEXT PRIMARY KEY,
    code_hash  TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0
);
