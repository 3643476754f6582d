-- Staff accounts, their sessions, and the audit log.
CREATE TABLE staff (
    username      TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('intake_operator', 'handler', 'supervisor', 'admin')),
    bureau        TEXT,
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at    INTEGER NOT NULL
);

-- A session id is kept only as its SHA-256 hash.
CREATE TABLE staff_sessions (
    id_hash   TEXT PRIMARY KEY,
    username  TEXT NOT NULL REFERENCES staff (username),
    created   INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (username);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT,
    action  TEXT NOT NULL,
    subject TEXT,
    client  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

-- The audit log is append-only: no update, no delete.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
