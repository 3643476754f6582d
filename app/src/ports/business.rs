//! The register of businesses and the decisions about their ODR membership.

use crate::domain::business::{MembershipChange, OdrStatus, RegisteredBusiness};
use crate::error::AppError;

/// One decision about a membership, as the register keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRecord {
    pub change: MembershipChange,
    /// The standing it led to.
    pub status: OdrStatus,
    /// The day in China it took effect (`YYYY-MM-DD`).
    pub on: String,
    /// The bureau that decided (its division code).
    pub bureau: String,
    /// The staff member who recorded it (none for an import).
    pub actor: Option<String>,
    pub at: i64,
}

/// The register: entries by credit code, looked up while a consumer types, kept by bureaus.
#[async_trait::async_trait]
pub trait BusinessStore: Send + Sync + 'static {
    /// Adds the entry, or updates its name, address, county, e-mail and pledges (its standing
    /// in the lane is changed only by [`business_decide`](Self::business_decide)). True if new.
    async fn business_put(&self, entry: &RegisteredBusiness, now: i64) -> Result<bool, AppError>;

    async fn business_get(&self, credit_code: &str) -> Result<Option<RegisteredBusiness>, AppError>;

    /// Entries whose name contains `text` or whose credit code starts with it, within `county`
    /// if given, by name; at most `limit`.
    async fn business_search(
        &self,
        text: &str,
        county: Option<&str>,
        limit: i64,
    ) -> Result<Vec<RegisteredBusiness>, AppError>;

    /// Records a decision if the entry still stands at `from` (one statement guards it, so two
    /// bureaus deciding at once cannot both apply theirs): false, and nothing changed, if not.
    async fn business_decide(
        &self,
        credit_code: &str,
        from: OdrStatus,
        record: &MembershipRecord,
    ) -> Result<bool, AppError>;

    /// Each member's record in the ODR lane (every business that had a complaint in it), by
    /// credit code.
    async fn business_lane_records(&self) -> Result<Vec<(String, crate::domain::business::LaneRecord)>, AppError>;

    /// The decisions about an entry, oldest first.
    async fn business_history(&self, credit_code: &str) -> Result<Vec<MembershipRecord>, AppError>;

    /// Writes a bureau's list in one transaction: every entry added or updated, and those
    /// marked as joining entered in the lane with `record` (when not a member already).
    async fn business_import(
        &self,
        entries: &[(RegisteredBusiness, bool)],
        record: &MembershipRecord,
    ) -> Result<(u64, u64), AppError>;
}
