-- Public statistics: running totals per month (China time), dimension value and kind, added to
-- in the same transaction as each step (the amounts come from app::domain::stats), so that
-- /stats reads a few hundred rows whatever the number of cases.
CREATE TABLE stats_agg (
    month           TEXT NOT NULL,
    dim             TEXT NOT NULL CHECK (dim IN ('channel', 'category', 'prefecture')),
    key             TEXT NOT NULL,
    kind            TEXT NOT NULL,
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
    PRIMARY KEY (month, dim, key, kind)
);

-- Histograms of natural days from receipt to a decision and to closure (for the medians).
CREATE TABLE stats_days (
    month TEXT NOT NULL,
    kind  TEXT NOT NULL,
    span  TEXT NOT NULL CHECK (span IN ('decision', 'closure')),
    days  INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (month, kind, span, days)
);

-- Items received before this table existed are counted by month of receipt (the other
-- figures start with the steps taken from now on).
INSERT INTO stats_agg (month, dim, key, kind, received)
    SELECT substr(received_on, 1, 7), 'channel', channel, kind, COUNT(*) FROM cases
    GROUP BY substr(received_on, 1, 7), channel, kind;
INSERT INTO stats_agg (month, dim, key, kind, received)
    SELECT substr(received_on, 1, 7), 'category', category, kind, COUNT(*) FROM cases
    GROUP BY substr(received_on, 1, 7), category, kind;
INSERT INTO stats_agg (month, dim, key, kind, received)
    SELECT m, 'prefecture', p, kind, COUNT(*) FROM (
        SELECT substr(c.received_on, 1, 7) AS m, c.kind,
               COALESCE(substr(b.county, 1, 4) || '00', 'none') AS p
        FROM cases c LEFT JOIN parties b ON b.case_id = c.id AND b.role = 'business'
    ) t GROUP BY m, p, kind;

-- Typical cases: closed items whose consumer consented to publication, redacted automatically
-- and shown only once a supervisor approved them.
CREATE TABLE published_cases (
    case_no     TEXT PRIMARY KEY REFERENCES cases (case_no),
    kind        TEXT NOT NULL,
    category    TEXT NOT NULL,
    prefecture  TEXT NOT NULL,
    closed_on   TEXT NOT NULL,
    facts       TEXT NOT NULL,
    result      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reviewed_by TEXT,
    reviewed_at INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX published_cases_list ON published_cases (status, closed_on, case_no);
