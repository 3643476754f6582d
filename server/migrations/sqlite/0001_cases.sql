-- Cases, their parties and the append-only event log (SQLite).
CREATE TABLE site_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One sequence of case numbers per year of receipt.
CREATE TABLE case_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE cases (
    id                   INTEGER PRIMARY KEY,
    case_no              TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL CHECK (kind IN ('consultation', 'complaint', 'report')),
    channel              TEXT NOT NULL CHECK (channel IN ('web', 'phone', 'letter', 'voice_message', 'walk_in')),
    state                TEXT NOT NULL,
    rule_set             TEXT NOT NULL,
    bureau               TEXT NOT NULL,
    clock_paused         BOOLEAN NOT NULL DEFAULT 0,
    category             TEXT NOT NULL,
    received_at          INTEGER NOT NULL,
    received_on          TEXT NOT NULL,
    incident_on          TEXT,
    amount_paid_fen      INTEGER CHECK (amount_paid_fen >= 0),
    amount_recovered_fen INTEGER CHECK (amount_recovered_fen >= 0),
    order_no             TEXT,
    demand               TEXT,
    demand_text          TEXT,
    facts                TEXT NOT NULL,
    consent_publish      BOOLEAN NOT NULL DEFAULT 0,
    query_hash           TEXT NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX cases_state_bureau ON cases (state, bureau);
CREATE INDEX cases_received_at ON cases (received_at);

CREATE TABLE parties (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    role        TEXT NOT NULL CHECK (role IN ('consumer', 'business')),
    name        TEXT NOT NULL,
    phone       TEXT,
    address     TEXT NOT NULL,
    credit_code TEXT,
    county      TEXT,
    platform    TEXT,
    shop        TEXT,
    UNIQUE (case_id, role)
);

CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    seq        INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    actor_role TEXT NOT NULL,
    actor_id   TEXT,
    action     TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    ground     INTEGER,
    note       TEXT,
    UNIQUE (case_id, seq)
);

-- The event log is append-only: no update, no delete.
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
