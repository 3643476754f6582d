-- Evidence files: pending (case_no NULL) from upload until a filing attaches them.
CREATE TABLE evidence (
    id          TEXT PRIMARY KEY,
    case_no     TEXT REFERENCES cases (case_no),
    kind        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_no);
