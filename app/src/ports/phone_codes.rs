//! One-time codes by text message, for a consumer who lost a query code.

use crate::error::AppError;

/// The codes sent to mobile numbers, each kept as a keyed hash under a keyed hash of its number.
#[async_trait::async_trait]
pub trait PhoneCodeStore: Send + Sync + 'static {
    /// Keeps `code_hash` for `key` until `expires_at` (ms), replacing an earlier code of the
    /// number, its tries counted anew.
    async fn put_phone_code(&self, key: &str, code_hash: &str, expires_at: i64) -> Result<(), AppError>;
    /// Spends one try of `key`'s code at `now` (ms), in one atomic step: the code's hash if it
    /// has not expired and had a try of its `max_tries` left, else `None`.
    async fn try_phone_code(&self, key: &str, now: i64, max_tries: u32) -> Result<Option<String>, AppError>;
    /// The code was used: it holds no more.
    async fn delete_phone_code(&self, key: &str) -> Result<(), AppError>;
    /// Forgets the codes expired before `before` (ms); returns how many.
    async fn purge_phone_codes(&self, before: i64) -> Result<u64, AppError>;
}
