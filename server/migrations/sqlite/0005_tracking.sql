-- Tracking: what the consumer may read of each step, ratings, and the look-up throttle.

-- Public text of a step (an answer, a mediation's time and place, the consumer's own words);
-- `note` stays for staff only.
ALTER TABLE case_events ADD COLUMN detail TEXT;

-- One rating per case; it may be changed for a while after it was first given.
CREATE TABLE ratings (
    case_no    TEXT PRIMARY KEY REFERENCES cases (case_no),
    process    INTEGER NOT NULL CHECK (process BETWEEN 1 AND 5),
    outcome    TEXT NOT NULL CHECK (outcome IN ('resolved', 'partly', 'not_resolved')),
    comment    TEXT,
    rated_at   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Failed look-ups per key (a case, a phone's hash, a client address), shared by every server.
CREATE TABLE lookup_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
);

-- Look-up by mobile phone.
CREATE INDEX parties_phone ON parties (phone) WHERE phone IS NOT NULL;
