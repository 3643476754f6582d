-- The register of businesses (by unified social credit code), the decisions about their
-- membership of the ODR lane, the lane's columns on cases, and accounts of the role `business`.
CREATE TABLE businesses (
    credit_code            TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    address                TEXT NOT NULL,
    county                 TEXT NOT NULL,
    email                  TEXT,
    advance_compensation   BOOLEAN NOT NULL DEFAULT FALSE,
    returns_without_reason BOOLEAN NOT NULL DEFAULT FALSE,
    service_station        BOOLEAN NOT NULL DEFAULT FALSE,
    odr                    TEXT NOT NULL DEFAULT 'outside' CHECK (odr IN ('outside', 'joined', 'suspended', 'left')),
    updated_at             BIGINT NOT NULL
);
CREATE INDEX businesses_county_name ON businesses (county, name);
CREATE INDEX businesses_name ON businesses (name);

-- Each decision about a membership: its day, the bureau that took it and who.
CREATE TABLE business_memberships (
    id          BIGSERIAL PRIMARY KEY,
    credit_code TEXT NOT NULL REFERENCES businesses (credit_code),
    change      TEXT NOT NULL,
    status      TEXT NOT NULL,
    on_day      TEXT NOT NULL,
    bureau      TEXT NOT NULL,
    actor       TEXT,
    at          BIGINT NOT NULL
);
CREATE INDEX business_memberships_code ON business_memberships (credit_code, id);

-- A complaint of the ODR lane: the business it went to first (with the consumer's consent) and
-- the amount of the business's latest offer.
ALTER TABLE cases ADD COLUMN odr_business TEXT;
ALTER TABLE cases ADD COLUMN odr_offer_fen BIGINT CHECK (odr_offer_fen >= 0);
CREATE INDEX cases_odr ON cases (odr_business, due_on, id) WHERE odr_business IS NOT NULL;

-- Accounts of businesses sign in as staff do, and see only their own lane.
ALTER TABLE staff ADD COLUMN business TEXT REFERENCES businesses (credit_code);
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
    CHECK (role IN ('intake_operator', 'handler', 'supervisor', 'admin', 'business'));
ALTER TABLE staff ADD CONSTRAINT staff_business_bound CHECK ((role = 'business') = (business IS NOT NULL));
