-- Idempotency keys of online filings: a retried or doubled submission returns the first case.
CREATE TABLE filing_keys (
    key        TEXT PRIMARY KEY,
    case_no    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
