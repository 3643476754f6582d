-- The statistics of the ODR lane (negotiations ended, settled by the business, and the days to
-- a settlement) and the consumer's verdict (solved, partly). Figures of steps taken before this
-- migration stay as they were counted.
ALTER TABLE stats_agg ADD COLUMN odr_concluded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_agg ADD COLUMN odr_settled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_agg ADD COLUMN solved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_agg ADD COLUMN partly INTEGER NOT NULL DEFAULT 0;
-- SQLite cannot change a CHECK in place: the table is rebuilt (the documented procedure).
CREATE TABLE stats_days_new (
    month TEXT NOT NULL,
    kind  TEXT NOT NULL,
    span  TEXT NOT NULL CHECK (span IN ('decision', 'closure', 'odr_settlement')),
    days  INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (month, kind, span, days)
);
INSERT INTO stats_days_new (month, kind, span, days, n) SELECT month, kind, span, days, n FROM stats_days;
DROP TABLE stats_days;
ALTER TABLE stats_days_new RENAME TO stats_days;
