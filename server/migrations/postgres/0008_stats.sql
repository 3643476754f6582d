-- Public statistics: running totals per month (China time), dimension value and kind, added to
-- in the same transaction as each step (the amounts come from app::domain::stats), so that
-- /stats reads a few hundred rows whatever the number of cases.
CREATE TABLE stats_agg (
    month           TEXT COLLATE "C" NOT NULL,
    dim             TEXT COLLATE "C" NOT NULL CHECK (dim IN ('channel', 'category', 'prefecture')),
    key             TEXT COLLATE "C" NOT NULL,
    kind            TEXT COLLATE "C" NOT NULL,
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
    PRIMARY KEY (month, dim, key, kind)
);

-- Histograms of natural days from receipt to a decision and to closure (for the medians).
CREATE TABLE stats_days (
    month TEXT COLLATE "C" NOT NULL,
    kind  TEXT COLLATE "C" NOT NULL,
    span  TEXT COLLATE "C" NOT NULL CHECK (span IN ('decision', 'closure')),
    days  BIGINT NOT NULL,
    n     BIGINT NOT NULL,
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
    case_no     TEXT COLLATE "C" PRIMARY KEY REFERENCES cases (case_no),
    kind        TEXT COLLATE "C" NOT NULL,
    category    TEXT COLLATE "C" NOT NULL,
    prefecture  TEXT COLLATE "C" NOT NULL,
    closed_on   TEXT COLLATE "C" NOT NULL,
    facts       TEXT NOT NULL,
    result      TEXT NOT NULL,
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    reviewed_by TEXT,
    reviewed_at BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX published_cases_list ON published_cases (status, closed_on, case_no);
