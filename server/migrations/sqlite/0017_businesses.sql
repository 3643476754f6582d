-- no-transaction
-- The register of businesses (by unified social credit code), the decisions about their
-- membership of the ODR lane, the lane's columns on cases, and accounts of the role `business`.
BEGIN;
CREATE TABLE businesses (
    credit_code            TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    address                TEXT NOT NULL,
    county                 TEXT NOT NULL,
    email                  TEXT,
    advance_compensation   BOOLEAN NOT NULL DEFAULT 0,
    returns_without_reason BOOLEAN NOT NULL DEFAULT 0,
    service_station        BOOLEAN NOT NULL DEFAULT 0,
    odr                    TEXT NOT NULL DEFAULT 'outside' CHECK (odr IN ('outside', 'joined', 'suspended', 'left')),
    updated_at             INTEGER NOT NULL
);
CREATE INDEX businesses_county_name ON businesses (county, name);
CREATE INDEX businesses_name ON businesses (name);

-- Each decision about a membership: its day, the bureau that took it and who.
CREATE TABLE business_memberships (
    id          INTEGER PRIMARY KEY,
    credit_code TEXT NOT NULL REFERENCES businesses (credit_code),
    change      TEXT NOT NULL,
    status      TEXT NOT NULL,
    on_day      TEXT NOT NULL,
    bureau      TEXT NOT NULL,
    actor       TEXT,
    at          INTEGER NOT NULL
);
CREATE INDEX business_memberships_code ON business_memberships (credit_code, id);

-- A complaint of the ODR lane: the business it went to first (with the consumer's consent) and
-- the amount of the business's latest offer.
ALTER TABLE cases ADD COLUMN odr_business TEXT;
ALTER TABLE cases ADD COLUMN odr_offer_fen INTEGER CHECK (odr_offer_fen >= 0);
CREATE INDEX cases_odr ON cases (odr_business, due_on, id) WHERE odr_business IS NOT NULL;
COMMIT;

-- Accounts of businesses sign in as staff do, and see only their own lane. SQLite cannot change
-- a CHECK in place: the table is rebuilt (the documented procedure, foreign keys off meanwhile).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE staff_new (
    username      TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('intake_operator', 'handler', 'supervisor', 'admin', 'business')),
    bureau        TEXT,
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at    INTEGER NOT NULL,
    business      TEXT REFERENCES businesses (credit_code),
    CHECK ((role = 'business') = (business IS NOT NULL))
);
INSERT INTO staff_new (username, role, bureau, password_hash, disabled, updated_at)
    SELECT username, role, bureau, password_hash, disabled, updated_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_new RENAME TO staff;
COMMIT;
PRAGMA foreign_keys = ON;
