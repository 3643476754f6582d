-- Staff members' second factor: the TOTP secret (RFC 6238) with the last time step used (a code
-- is good once), the one-time recovery codes (their SHA-256 only), and the sign-ins whose
-- password was right and whose second factor is awaited (the id kept only as its hash).
CREATE TABLE staff_totp (
    username  TEXT PRIMARY KEY REFERENCES staff (username),
    secret    TEXT NOT NULL,
    last_step BIGINT NOT NULL
);

CREATE TABLE staff_recovery_codes (
    username  TEXT NOT NULL REFERENCES staff (username),
    code_hash TEXT NOT NULL,
    PRIMARY KEY (username, code_hash)
);

CREATE TABLE staff_challenges (
    id_hash        TEXT PRIMARY KEY,
    username       TEXT NOT NULL REFERENCES staff (username),
    created        BIGINT NOT NULL,
    pending_secret TEXT
);
CREATE INDEX staff_challenges_created ON staff_challenges (created);
