-- The public record of each business (domain::disclosure): its complaints' running totals per
-- month and category, written in the same transaction as each step like the statistics'
-- (complaints received before this migration are not in them, as the statistics began), the
-- histogram of days to closure, and the name each business was first complained of under.
CREATE TABLE business_agg (
    key             TEXT NOT NULL,
    month           TEXT NOT NULL,
    category        TEXT NOT NULL,
    received        INTEGER NOT NULL DEFAULT 0,
    decided         INTEGER NOT NULL DEFAULT 0,
    accepted        INTEGER NOT NULL DEFAULT 0,
    decided_in_time INTEGER NOT NULL DEFAULT 0,
    concluded       INTEGER NOT NULL DEFAULT 0,
    settled         INTEGER NOT NULL DEFAULT 0,
    recovered_fen   INTEGER NOT NULL DEFAULT 0,
    closed          INTEGER NOT NULL DEFAULT 0,
    rated           INTEGER NOT NULL DEFAULT 0,
    satisfied       INTEGER NOT NULL DEFAULT 0,
    odr_concluded   INTEGER NOT NULL DEFAULT 0,
    odr_settled     INTEGER NOT NULL DEFAULT 0,
    solved          INTEGER NOT NULL DEFAULT 0,
    partly          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key, month, category)
);

CREATE TABLE business_days (
    key   TEXT NOT NULL,
    month TEXT NOT NULL,
    days  INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (key, month, days)
);

-- `norm` is the name as domain::disclosure::normalise_name makes it, for the search.
CREATE TABLE business_names (
    key         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    norm        TEXT NOT NULL,
    credit_code TEXT,
    county      TEXT NOT NULL
);
CREATE INDEX business_names_county ON business_names (county, key);

-- Closed complaints as the public sees them (no personal data; see domain::disclosure::Disclosed),
-- written by every server's disclosure sweep once a complaint is closed (again after it is
-- reopened and closed), at the case's version.
CREATE TABLE disclosures (
    case_id       INTEGER PRIMARY KEY REFERENCES cases (id),
    business_key  TEXT NOT NULL,
    business_name TEXT NOT NULL,
    credit_code   TEXT,
    county        TEXT NOT NULL,
    category      TEXT NOT NULL,
    complainant   TEXT NOT NULL,
    complained    TEXT NOT NULL,
    arose         TEXT,
    handled       TEXT NOT NULL,
    issue         TEXT,
    demand        TEXT,
    request       TEXT,
    handling      TEXT NOT NULL,
    recovered_fen INTEGER,
    case_version  INTEGER NOT NULL,
    disclosed_at  INTEGER NOT NULL
);
CREATE INDEX disclosures_business ON disclosures (business_key, case_id);
CREATE INDEX disclosures_county ON disclosures (county, case_id);

-- The sweep reads the cases changed since it last looked.
CREATE INDEX cases_updated ON cases (updated_at, id);
