-- The statistics of the ODR lane (negotiations ended, settled by the business, and the days to
-- a settlement) and the consumer's verdict (solved, partly). Figures of steps taken before this
-- migration stay as they were counted.
ALTER TABLE stats_agg ADD COLUMN odr_concluded BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN odr_settled BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN solved BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN partly BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stats_days DROP CONSTRAINT stats_days_span_check;
ALTER TABLE stats_days ADD CONSTRAINT stats_days_span_check CHECK (span IN ('decision', 'closure', 'odr_settlement'));
