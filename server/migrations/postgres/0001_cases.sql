-- Cases, their parties and the append-only event log (PostgreSQL).
CREATE TABLE site_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One sequence of case numbers per year of receipt.
CREATE TABLE case_counters (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE cases (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_no              TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL CHECK (kind IN ('consultation', 'complaint', 'report')),
    channel              TEXT NOT NULL CHECK (channel IN ('web', 'phone', 'letter', 'voice_message', 'walk_in')),
    state                TEXT NOT NULL,
    rule_set             TEXT NOT NULL,
    bureau               TEXT NOT NULL,
    clock_paused         BOOLEAN NOT NULL DEFAULT FALSE,
    category             TEXT NOT NULL,
    received_at          BIGINT NOT NULL,
    received_on          TEXT NOT NULL,
    incident_on          TEXT,
    amount_paid_fen      BIGINT CHECK (amount_paid_fen >= 0),
    amount_recovered_fen BIGINT CHECK (amount_recovered_fen >= 0),
    order_no             TEXT,
    demand               TEXT,
    demand_text          TEXT,
    facts                TEXT NOT NULL,
    consent_publish      BOOLEAN NOT NULL DEFAULT FALSE,
    query_hash           TEXT NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX cases_state_bureau ON cases (state, bureau);
CREATE INDEX cases_received_at ON cases (received_at);

CREATE TABLE parties (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
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
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    seq        BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_id   TEXT,
    action     TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    ground     BIGINT,
    note       TEXT,
    UNIQUE (case_id, seq)
);

-- The event log is append-only: no update, no delete.
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only';
END;
$$;
CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
