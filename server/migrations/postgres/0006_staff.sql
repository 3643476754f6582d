-- Staff accounts, their sessions, and the audit log.
CREATE TABLE staff (
    username      TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('intake_operator', 'handler', 'supervisor', 'admin')),
    bureau        TEXT,
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at    BIGINT NOT NULL
);

-- A session id is kept only as its SHA-256 hash.
CREATE TABLE staff_sessions (
    id_hash   TEXT PRIMARY KEY,
    username  TEXT NOT NULL REFERENCES staff (username),
    created   BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (username);

CREATE TABLE audit_log (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      BIGINT NOT NULL,
    actor   TEXT,
    action  TEXT NOT NULL,
    subject TEXT,
    client  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

-- The audit log is append-only: no update, no delete.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
