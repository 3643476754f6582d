//! The public record of businesses: their running totals, their names, and their closed
//! complaints as disclosed.

use crate::domain::case::CaseNo;
use crate::domain::disclosure::{BusinessMonth, Disclosed};
use crate::error::AppError;

/// A business in the public record, with its complaints since the month asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedBusiness {
    pub key: String,
    /// The register's name where the business is in it, else the name first complained of.
    pub name: String,
    pub credit_code: Option<String>,
    pub county: String,
    pub complaints: i64,
}

/// Which disclosed complaints: each filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisclosedFilter {
    pub business_key: Option<String>,
    pub county: Option<String>,
    pub category: Option<String>,
    /// `YYYY-MM` of handling, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A disclosed complaint and its place in the list (newest first: pages go on below `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosedItem {
    pub id: i64,
    pub item: Disclosed,
    /// When it was first disclosed (Unix ms).
    pub disclosed_at: i64,
    /// The day (`YYYY-MM-DD`) a supervisor corrected its account, if one did (the account shown
    /// is then the correction).
    pub corrected_on: Option<String>,
}

/// A closed complaint the disclosure sweep has not written at its version yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDisclosure {
    pub case_id: i64,
    pub case_no: CaseNo,
    pub updated_at: i64,
}

#[async_trait::async_trait]
pub trait DisclosureStore: Send + Sync + 'static {
    /// Businesses whose normalised name contains `norm` (or whose key is `key`), within `county`
    /// and with complaints of `category` if given, counting complaints received in or after
    /// `from_month`; most complained of first, at most `limit`.
    async fn record_find(
        &self,
        norm: &str,
        key: &str,
        county: Option<&str>,
        category: Option<&str>,
        from_month: &str,
        limit: i64,
    ) -> Result<Vec<RecordedBusiness>, AppError>;

    /// The businesses complained of most since `from_month`, at most `limit`, most first (the
    /// search with nothing asked, read from the months' totals).
    async fn record_top(&self, from_month: &str, limit: i64) -> Result<Vec<RecordedBusiness>, AppError>;

    /// Complaints received in or after `from_month` by the business's county and the category:
    /// (`county`, `category`, `complaints`).
    async fn record_hot(&self, from_month: &str) -> Result<Vec<(String, String, i64)>, AppError>;

    /// The business under `key` (complaints counted from `from_month`), if it has any record.
    async fn record_get(&self, key: &str, from_month: &str) -> Result<Option<RecordedBusiness>, AppError>;

    /// Its running totals from `from_month` on, and its histogram of days to closure
    /// (`month`, `days`, `n`).
    async fn record_rows(
        &self,
        key: &str,
        from_month: &str,
    ) -> Result<(Vec<BusinessMonth>, Vec<(String, i64, i64)>), AppError>;

    /// Disclosed complaints (of cases still closed), newest first, below `before` if given.
    async fn disclosed(
        &self,
        filter: &DisclosedFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<DisclosedItem>, AppError>;

    /// The latest disclosed complaints of a business or a county (cases still closed), the most
    /// recently disclosed first: what their feeds carry.
    async fn disclosed_recent(
        &self,
        business_key: Option<&str>,
        county: Option<&str>,
        limit: i64,
    ) -> Result<Vec<DisclosedItem>, AppError>;

    /// Closed complaints changed after (`at`, `id`) and no later than `until`, oldest change
    /// first, that are not disclosed at their version; at most `limit`. Also the position the
    /// read reached, to start from next time.
    async fn disclosure_pending(
        &self,
        after: (i64, i64),
        until: i64,
        limit: i64,
    ) -> Result<(Vec<PendingDisclosure>, Option<(i64, i64)>), AppError>;

    /// Writes what is disclosed of each case (id, item, version), replacing an older version's,
    /// in one transaction (a sweep's batch: one commit, not one per complaint).
    async fn disclose(&self, items: &[(i64, Disclosed, i64)], now: i64) -> Result<(), AppError>;
}

/// An objection to a disclosed complaint, as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewObjection {
    /// The disclosed item (its case's id).
    pub item: i64,
    pub business_key: String,
    /// `business` (from its account) or `bureau` (a handler on its behalf).
    pub via: String,
    pub by_account: String,
    pub reason: String,
    pub at: i64,
}

/// An objection and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionRecord {
    pub id: i64,
    pub new: NewObjection,
    pub decision: Option<crate::domain::disclosure::objection::Decision>,
    pub note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

/// Objections to disclosed complaints and the supervisors' decisions on them.
#[async_trait::async_trait]
pub trait ObjectionStore: Send + Sync + 'static {
    /// A disclosed complaint (hidden or not, of a case closed or not) and whether it is hidden.
    async fn disclosed_item(&self, item: i64) -> Result<Option<(DisclosedItem, bool)>, AppError>;

    /// Files an objection; `None` when the item has one awaiting a decision already.
    async fn objection_add(&self, o: &NewObjection) -> Result<Option<i64>, AppError>;

    /// Objections, newest first: of one business (every one), or awaiting a decision (`None`).
    async fn objections(&self, business_key: Option<&str>, limit: i64) -> Result<Vec<ObjectionRecord>, AppError>;

    async fn objection_get(&self, id: i64) -> Result<Option<ObjectionRecord>, AppError>;

    /// Records the decision on an objection awaiting one and, in the same transaction, hides the
    /// item or puts the correction (`correction`, of the day `on`) in place of its account.
    /// False when the objection was decided already.
    async fn objection_decide(
        &self,
        id: i64,
        decided: &crate::domain::disclosure::objection::Decided,
        by: &str,
        on: &str,
        at: i64,
    ) -> Result<bool, AppError>;
}
