-- The work queue: each case's next staff deadline as a sortable key (`YYYY-MM-DD`;
-- '9999-01-01' open without a running deadline; '9999-12-31' finished), written with every
-- step, and the cases per (bureau, kind, state), kept by triggers in the same transaction.
-- "C" collation: byte order, as SQLite compares the keys (and cheaper than a locale's).
ALTER TABLE cases ADD COLUMN due_on TEXT COLLATE "C" NOT NULL DEFAULT '9999-01-01';
UPDATE cases SET due_on = '9999-12-31' WHERE state IN ('closed', 'withdrawn');
CREATE INDEX cases_queue_due ON cases (due_on, id);
CREATE INDEX cases_queue_bureau_due ON cases (bureau, due_on, id);
CREATE INDEX cases_queue_bureau_id ON cases (bureau, id);

CREATE TABLE queue_counts (
    bureau TEXT NOT NULL,
    kind   TEXT NOT NULL,
    state  TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (bureau, kind, state)
);
INSERT INTO queue_counts (bureau, kind, state, n)
    SELECT bureau, kind, state, COUNT(*) FROM cases GROUP BY bureau, kind, state;

CREATE FUNCTION cases_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE queue_counts SET n = n - 1 WHERE bureau = OLD.bureau AND kind = OLD.kind AND state = OLD.state;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO queue_counts (bureau, kind, state, n) VALUES (NEW.bureau, NEW.kind, NEW.state, 1)
            ON CONFLICT (bureau, kind, state) DO UPDATE SET n = queue_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER cases_count_insert AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_count();
CREATE TRIGGER cases_count_update AFTER UPDATE OF state, bureau ON cases
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.bureau IS DISTINCT FROM NEW.bureau)
    EXECUTE FUNCTION cases_count();
