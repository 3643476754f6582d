-- Messages a case is owed at most once on each channel, whichever server writes them and however
-- often a sweep runs: the business's e-mails (a new complaint, its time running out) and the
-- question whether the handling solved the consumer's problem. The writer inserts with
-- ON CONFLICT DO NOTHING, so a second writer's row is simply not written.
CREATE UNIQUE INDEX outbox_once ON outbox (case_id, kind, channel)
    WHERE kind IN ('business_new', 'business_due', 'verdict_ask');
