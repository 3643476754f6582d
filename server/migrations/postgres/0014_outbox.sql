-- How the consumer of a case is told of its steps: a channel and its address, in a language,
-- and whether they asked for no more messages than the law requires.
CREATE TABLE notice_contacts (
    case_id   BIGINT NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    channel   TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient TEXT NOT NULL,
    lang      TEXT NOT NULL,
    opted_out INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, channel)
);

-- The outbox: each message a step owes, written in the step's transaction, and the staff's
-- morning digests (no case); the senders of every server claim due rows (a lease in
-- claimed_until), send them and mark them.
CREATE TABLE outbox (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       BIGINT REFERENCES cases (id) ON DELETE RESTRICT,
    kind          TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient     TEXT NOT NULL,
    lang          TEXT NOT NULL,
    params        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    sent_at       BIGINT,
    last_error    TEXT
);
CREATE INDEX outbox_due ON outbox (due_at, id) WHERE state = 'pending';
CREATE INDEX outbox_case ON outbox (case_id, id);
-- The console lists failed messages by themselves; most rows are sent, found newest first by id.
CREATE INDEX outbox_failed ON outbox (id) WHERE state = 'failed';

-- Where a staff member gets the morning digest of the cases of their remit (optional).
CREATE TABLE staff_emails (
    username TEXT PRIMARY KEY REFERENCES staff (username) ON DELETE CASCADE,
    email    TEXT NOT NULL
);
