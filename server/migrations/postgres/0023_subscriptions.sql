-- E-mail alerts of newly disclosed complaints (domain::subscription): one row per address and
-- what it follows ('b:<business key>' or 'c:<county>'), deleted on unsubscribing and, never
-- confirmed, once its confirmation expires. Its links carry no stored secret: they are signed
-- with the site's secret.
CREATE TABLE subscriptions (
    id           BIGSERIAL PRIMARY KEY,
    email        TEXT NOT NULL,
    target       TEXT NOT NULL,
    lang         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT,
    sent_at      BIGINT,
    seen_at      BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX subscriptions_email_target ON subscriptions (email, target);
CREATE INDEX subscriptions_unconfirmed ON subscriptions (created_at) WHERE confirmed_at IS NULL;
CREATE INDEX subscriptions_confirmed ON subscriptions (id) WHERE confirmed_at IS NOT NULL;
-- Alerts in the outbox are found by their address when it unsubscribes.
CREATE INDEX outbox_alerts ON outbox (recipient) WHERE kind IN ('alert_confirm', 'alert_digest');
