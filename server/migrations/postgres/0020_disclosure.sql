-- The public record of each business (domain::disclosure): its complaints' running totals per
-- month and category, written in the same transaction as each step like the statistics'
-- (complaints received before this migration are not in them, as the statistics began), the
-- histogram of days to closure, and the name each business was first complained of under.
CREATE TABLE business_agg (
    key             TEXT COLLATE "C" NOT NULL,
    month           TEXT COLLATE "C" NOT NULL,
    category        TEXT COLLATE "C" NOT NULL,
    received        BIGINT NOT NULL DEFAULT 0,
    decided         BIGINT NOT NULL DEFAULT 0,
    accepted        BIGINT NOT NULL DEFAULT 0,
    decided_in_time BIGINT NOT NULL DEFAULT 0,
    concluded       BIGINT NOT NULL DEFAULT 0,
    settled         BIGINT NOT NULL DEFAULT 0,
    recovered_fen   BIGINT NOT NULL DEFAULT 0,
    closed          BIGINT NOT NULL DEFAULT 0,
    rated           BIGINT NOT NULL DEFAULT 0,
    satisfied       BIGINT NOT NULL DEFAULT 0,
    odr_concluded   BIGINT NOT NULL DEFAULT 0,
    odr_settled     BIGINT NOT NULL DEFAULT 0,
    solved          BIGINT NOT NULL DEFAULT 0,
    partly          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (key, month, category)
);

CREATE TABLE business_days (
    key   TEXT COLLATE "C" NOT NULL,
    month TEXT COLLATE "C" NOT NULL,
    days  BIGINT NOT NULL,
    n     BIGINT NOT NULL,
    PRIMARY KEY (key, month, days)
);

-- `norm` is the name as domain::disclosure::normalise_name makes it, for the search.
CREATE TABLE business_names (
    key         TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    norm        TEXT COLLATE "C" NOT NULL,
    credit_code TEXT COLLATE "C",
    county      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX business_names_county ON business_names (county, key);

-- Closed complaints as the public sees them (no personal data; see domain::disclosure::Disclosed),
-- written by every server's disclosure sweep once a complaint is closed (again after it is
-- reopened and closed), at the case's version.
CREATE TABLE disclosures (
    case_id       BIGINT PRIMARY KEY REFERENCES cases (id),
    business_key  TEXT COLLATE "C" NOT NULL,
    business_name TEXT NOT NULL,
    credit_code   TEXT COLLATE "C",
    county        TEXT COLLATE "C" NOT NULL,
    category      TEXT COLLATE "C" NOT NULL,
    complainant   TEXT NOT NULL,
    complained    TEXT COLLATE "C" NOT NULL,
    arose         TEXT COLLATE "C",
    handled       TEXT COLLATE "C" NOT NULL,
    issue         TEXT,
    demand        TEXT COLLATE "C",
    request       TEXT,
    handling      TEXT COLLATE "C" NOT NULL,
    recovered_fen BIGINT,
    case_version  BIGINT NOT NULL,
    disclosed_at  BIGINT NOT NULL
);
CREATE INDEX disclosures_business ON disclosures (business_key, case_id);
CREATE INDEX disclosures_county ON disclosures (county, case_id);

-- The sweep reads the cases changed since it last looked.
CREATE INDEX cases_updated ON cases (updated_at, id);
