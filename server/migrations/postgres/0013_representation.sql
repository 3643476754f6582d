-- Who filed a complaint for the consumer: an agent under a power of attorney (name and phone),
-- or the representative of several consumers with the same complaint (how many in all; the
-- consumer party is the representative). Most cases have no row.
CREATE TABLE case_representation (
    case_id   BIGINT PRIMARY KEY REFERENCES cases (id) ON DELETE RESTRICT,
    kind      TEXT NOT NULL CHECK (kind IN ('agent', 'representative')),
    name      TEXT,
    phone     TEXT,
    consumers INTEGER CHECK (consumers >= 2),
    CHECK ((kind = 'agent' AND name IS NOT NULL AND phone IS NOT NULL AND consumers IS NULL)
        OR (kind = 'representative' AND name IS NULL AND phone IS NULL AND consumers IS NOT NULL))
);
