//! Typical cases for publication.

use super::{PublishedCase, PublishedFilter};
use crate::domain::case::CaseNo;
use crate::error::AppError;

/// Typical cases for publication and the keyword counts of the approved ones.
#[async_trait::async_trait]
pub trait PublishStore: Send + Sync + 'static {
    /// Closed items whose consumer consented to publication and that no supervisor has reviewed
    /// yet, the latest closed first.
    async fn publish_candidates(&self, limit: i64) -> Result<Vec<CaseNo>, AppError>;

    /// Records a supervisor's review of a typical case; when approved, adds its `words` to the
    /// keyword counts in the same transaction. False (nothing stored) if it was reviewed before.
    async fn review_published(
        &self,
        case: &PublishedCase,
        approved: bool,
        by: &str,
        at: i64,
        words: &[String],
    ) -> Result<bool, AppError>;

    /// Approved typical cases, the latest closed first.
    async fn published(&self, filter: &PublishedFilter, limit: i64) -> Result<Vec<PublishedCase>, AppError>;

    /// The most frequent words of the approved typical cases.
    async fn keywords(&self, limit: i64) -> Result<Vec<(String, i64)>, AppError>;
}
