-- Budgets: how many times a key (a client address, a phone number's hash) has done something
-- within its current window. Counted and checked in one statement, shared by every server.
CREATE TABLE budgets (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    used         BIGINT NOT NULL
);
