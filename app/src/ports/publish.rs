//! Typical cases for publication.

use crate::domain::case::CaseNo;
use crate::domain::kind::ItemKind;
use crate::error::AppError;
use time::Date;

/// A typical case as published: redacted, with no number or name that leads to anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedCase {
    pub case_no: CaseNo,
    pub kind: ItemKind,
    pub category: String,
    /// Prefecture code, or [`crate::domain::stats::NO_PREFECTURE`].
    pub prefecture: String,
    pub closed_on: Date,
    pub facts: String,
    pub result: String,
}

/// What the list of typical cases is narrowed to, and where its page starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishedFilter {
    pub category: Option<String>,
    pub prefecture: Option<String>,
    /// Keyset: cases closed before this (`YYYY-MM-DD`, case number).
    pub before: Option<(String, String)>,
}

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
