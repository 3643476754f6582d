-- Words of the published typical cases (segmented with jieba), counted when a case is
-- approved, for the keyword cloud of /stats.
CREATE TABLE keyword_counts (
    word TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
);
CREATE INDEX keyword_counts_n ON keyword_counts (n);

-- The open-day screen's ticker: the latest steps by time.
CREATE INDEX case_events_at ON case_events (at, id);
