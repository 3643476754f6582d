//! E-mail subscriptions to the alerts of a business or a county (`domain::subscription`).

use crate::error::AppError;

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: i64,
    pub email: String,
    /// `Target::code()`.
    pub target: String,
    pub lang: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
    /// When its last digest was written to the outbox.
    pub sent_at: Option<i64>,
    /// The complaints disclosed up to this time (Unix ms) were in a digest, or came before it
    /// was confirmed.
    pub seen_at: i64,
}

#[async_trait::async_trait]
pub trait SubscriptionStore: Send + Sync + 'static {
    /// The subscription of `email` to `target`, written unconfirmed at `now` unless there is
    /// one already: the one stored, and whether it was written now.
    async fn subscription_add(
        &self,
        email: &str,
        target: &str,
        lang: &str,
        now: i64,
    ) -> Result<(Subscription, bool), AppError>;

    async fn subscription_get(&self, id: i64) -> Result<Option<Subscription>, AppError>;

    /// Confirms it at `now` (what was disclosed before is not news to it). False when there is
    /// no such subscription or it was confirmed already.
    async fn subscription_confirm(&self, id: i64, now: i64) -> Result<bool, AppError>;

    /// Deletes it, and the alerts to its address not yet sent; the address's sent alerts in the
    /// outbox keep it masked only. False when there was none.
    async fn subscription_delete(&self, id: i64) -> Result<bool, AppError>;

    /// Confirmed subscriptions with no digest since `sent_before` (Unix ms), after `after_id`,
    /// by id, at most `limit`.
    async fn subscriptions_due(
        &self,
        sent_before: i64,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<Subscription>, AppError>;

    /// Writes its digest to the outbox (`params`, due at once) and records it as sent at `now`,
    /// having covered what was disclosed up to `seen_at`, in one transaction; unless another
    /// server did since `s` was read (false).
    async fn subscription_digest(
        &self,
        s: &Subscription,
        params: &[(String, String)],
        seen_at: i64,
        now: i64,
    ) -> Result<bool, AppError>;

    /// Deletes the subscriptions written before `created_before` that were never confirmed;
    /// how many.
    async fn subscriptions_expire(&self, created_before: i64) -> Result<u64, AppError>;
}
