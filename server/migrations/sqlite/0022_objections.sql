-- Objections to disclosed complaints (domain::disclosure::objection): one open at a time per
-- item; a supervisor's decision hides an item, or replaces its account with a correction. The
-- sweep that writes a disclosure anew at a later version leaves both as they are.
ALTER TABLE disclosures ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disclosures ADD COLUMN corrected_issue TEXT;
ALTER TABLE disclosures ADD COLUMN corrected_on TEXT;

CREATE TABLE disclosure_objections (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES disclosures (case_id),
    business_key TEXT NOT NULL,
    -- 'business' (from its account) or 'bureau' (a handler on the business's behalf).
    via          TEXT NOT NULL,
    by_account   TEXT NOT NULL,
    reason       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    decision     TEXT CHECK (decision IN ('hide', 'correct', 'keep')),
    note         TEXT,
    decided_by   TEXT,
    decided_at   INTEGER
);
CREATE UNIQUE INDEX disclosure_objections_open ON disclosure_objections (case_id) WHERE decision IS NULL;
CREATE INDEX disclosure_objections_business ON disclosure_objections (business_key, id);
CREATE INDEX disclosure_objections_pending ON disclosure_objections (id) WHERE decision IS NULL;
