//! The storage port: what the application needs from a database. The SQLite and PostgreSQL
//! adapters live in the `server` crate; both pass the same test suite.

use crate::domain::case::{CaseForCreate, CaseNo};
use crate::domain::kind::{Channel, ItemKind};
use crate::domain::money::Fen;
use crate::domain::tracking::{Counter, Rating};
use crate::domain::workflow::{ActionName, CaseState, Outcome, Role};
use crate::error::AppError;
use time::Date;

mod business;
mod disclosure;
mod outbox;
mod phone_codes;
mod publish;
mod staff;
mod subscription;
pub use business::*;
pub use disclosure::*;
pub use outbox::*;
pub use phone_codes::*;
pub use publish::*;
pub use staff::*;
pub use subscription::*;

/// A validated item with what the service adds at receipt.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub case: CaseForCreate,
    /// The rule set in force on the day of receipt; the case keeps it.
    pub rule_set: String,
    /// The bureau the case starts with (the centre, or the bureau with jurisdiction).
    pub bureau: String,
    /// Unix time in milliseconds.
    pub received_at: i64,
    /// The day of receipt in China Standard Time (deadlines count from it).
    pub received_on: Date,
    /// What the new case waits on first (the work queue's order).
    pub urgency: crate::domain::queue::Urgency,
    /// `sha256$<salt>$<hash>` of the query code; the code itself is never stored.
    pub query_hash: String,
    /// Idempotency key of an online filing: a second `create` with the same key within a day
    /// and the same `content_hash` returns the case the first one stored and stores nothing;
    /// with other content, or later, it is refused ([`crate::domain::Invalid::FormResent`]).
    pub idempotency_key: Option<String>,
    /// A hash of the form filed under the key (empty: not compared).
    pub content_hash: String,
    /// The ODR lane: the credit code of the member business the complaint goes to first (the
    /// consumer consented); the case then starts with the business.
    pub odr_business: Option<String>,
    /// Who registered it (consumer online, or an intake operator).
    pub actor_role: Role,
    pub actor_id: Option<String>,
    /// What receiving it adds to the public statistics (written in the same transaction).
    pub stats: Vec<crate::domain::stats::StatDelta>,
    /// How the consumer is told of the case's steps (none for an anonymous report, or a
    /// consumer with a fixed line only).
    pub contacts: Vec<NoticeContact>,
    /// The receipt message (written in the same transaction, to each contact).
    pub notices: Vec<NoticeForCreate>,
}

impl NewCase {
    /// The state a new case starts in: with the business for a complaint of the ODR lane.
    pub fn first_state(&self) -> CaseState {
        first_state(self.odr_business.as_deref())
    }
}

/// The state a new case starts in, given the member of the ODR lane it goes to first, if any.
pub fn first_state(odr_business: Option<&str>) -> CaseState {
    match odr_business {
        Some(_) => CaseState::WithBusiness,
        None => CaseState::Received,
    }
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCase {
    pub case_no: CaseNo,
    pub kind: ItemKind,
    pub channel: Channel,
    pub state: CaseState,
    pub rule_set: String,
    pub bureau: String,
    pub clock_paused: bool,
    pub received_at: i64,
    pub received_on: Date,
    pub amount_recovered: Option<Fen>,
    /// The other half of a complaint filed together with a report (and the reverse).
    pub linked_case_no: Option<CaseNo>,
    /// ODR lane: the credit code of the business the complaint went to first (with the
    /// consumer's consent), and the amount of its latest offer.
    pub odr_business: Option<String>,
    pub odr_offer: Option<Fen>,
    /// Bumped by every change; an update naming an older version is refused.
    pub version: i64,
    pub content: CaseForCreate,
}

impl StoredCase {
    /// What the workflow needs to know of the case to decide a step, with its steps so far.
    pub fn snapshot(&self, history: Vec<crate::domain::workflow::Step>) -> crate::domain::workflow::CaseSnapshot {
        crate::domain::workflow::CaseSnapshot {
            kind: self.kind,
            state: self.state,
            bureau: self.bureau.clone(),
            clock_paused: self.clock_paused,
            odr_business: self.odr_business.clone(),
            odr_offer: self.odr_offer,
            history,
        }
    }

    /// The rule set the case was received under (its deadlines and grounds).
    pub fn rules(&self) -> Result<&'static crate::domain::rules::RuleSet, AppError> {
        crate::domain::rules::get(&self.rule_set).ok_or_else(|| AppError::internal("rule set", &self.rule_set))
    }

    /// The statutory period the case runs against after `steps` ([`countdown`](crate::domain::period::countdown)).
    pub fn countdown(
        &self,
        steps: &[crate::domain::workflow::Step],
        rules: &crate::domain::rules::RuleSet,
        cal: &crate::domain::calendar::WorkCalendar,
    ) -> Option<crate::domain::period::Countdown> {
        let anonymous = self.content.anonymous();
        crate::domain::period::countdown(self.kind, anonymous, self.state, self.received_on, steps, rules, cal)
    }

    /// The staff deadline the case runs against in `state` after `steps` ([`urgency`](crate::domain::queue::urgency)).
    pub fn urgency(
        &self,
        state: CaseState,
        steps: &[crate::domain::workflow::Step],
        rules: &crate::domain::rules::RuleSet,
        cal: &crate::domain::calendar::WorkCalendar,
    ) -> crate::domain::queue::Urgency {
        crate::domain::queue::urgency(self.kind, self.content.anonymous(), state, self.received_on, steps, rules, cal)
    }
}

/// One entry of the append-only event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    /// 1, 2, 3, … within the case.
    pub seq: i64,
    pub at: i64,
    pub actor_role: Role,
    pub actor_id: Option<String>,
    pub action: ActionName,
    pub from_state: Option<CaseState>,
    pub to_state: CaseState,
    pub ground: Option<u32>,
    /// Staff note; never shown to the consumer.
    pub note: Option<String>,
    /// What the consumer may read of the step ([`Action::public_detail`](crate::domain::workflow::Action::public_detail)).
    pub detail: Option<String>,
}

/// What the service records with a transition.
#[derive(Debug, Clone)]
pub struct EventForCreate {
    pub at: i64,
    pub actor_role: Role,
    pub actor_id: Option<String>,
    pub action: ActionName,
    pub note: Option<String>,
    pub detail: Option<String>,
    /// What the step adds to the public statistics (written in the same transaction).
    pub stats: Vec<crate::domain::stats::StatDelta>,
    /// The messages the step owes the consumer (written in the same transaction).
    pub notices: Vec<NoticeForCreate>,
}

/// A case with its whole history, for loading many at once (the demonstration data set). The
/// caller has taken every step through the workflow; the store writes the result as it is.
#[derive(Debug, Clone)]
pub struct ImportCase {
    pub new: NewCase,
    pub state: CaseState,
    pub bureau: String,
    pub clock_paused: bool,
    pub recovered: Option<Fen>,
    /// The offer a business of the ODR lane made, when its answer is awaited by the consumer.
    pub odr_offer: Option<Fen>,
    pub version: i64,
    pub urgency: crate::domain::queue::Urgency,
    /// The steps after receipt, in order, with the states they led from and to.
    pub steps: Vec<ImportStep>,
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone)]
pub struct ImportStep {
    pub event: EventForCreate,
    pub from: CaseState,
    pub to: CaseState,
    pub ground: Option<u32>,
}

/// One step as the open-day screen's ticker sees it: what kind of item, where, what happened —
/// never who. The case number is kept for the walk-through panel and never sent to the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    pub id: i64,
    pub at: i64,
    pub case_no: CaseNo,
    pub kind: ItemKind,
    pub category: String,
    pub county: Option<String>,
    pub action: ActionName,
    pub to_state: CaseState,
}

/// What the work queue is limited to: the staff member's scope and the filters they chose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// The only bureau the staff member may see (none for a supervisor).
    pub scope: Option<String>,
    /// The only business whose lane is shown (a business's own queue), or `Some("")` for every
    /// complaint of the lane (the bureau's oversight).
    pub business: Option<String>,
    pub query: crate::domain::queue::QueueQuery,
    /// The inclusive range of urgency keys of the deadline filter, if one is chosen.
    pub due_range: Option<(String, String)>,
}

/// One line of the work queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub id: i64,
    pub case_no: CaseNo,
    pub kind: ItemKind,
    pub channel: Channel,
    pub state: CaseState,
    pub bureau: String,
    pub category: String,
    pub received_on: Date,
    pub urgency: crate::domain::queue::Urgency,
}

/// The counts shown beside the queue's filters, within the staff member's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// Cases per state (states without cases are left out).
    pub by_state: Vec<(CaseState, i64)>,
    pub overdue: i64,
    pub today: i64,
    pub soon: i64,
}

/// Another item that may concern the same dispute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimilarCase {
    pub case_no: CaseNo,
    pub kind: ItemKind,
    pub state: CaseState,
    pub received_on: Date,
}

/// A rating as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRating {
    pub rating: Rating,
    /// When it was first given (Unix ms); it may be changed for a while after.
    pub rated_at: i64,
    pub updated_at: i64,
}

/// What [`CaseRecords::record`] stores beside the event, in the same transaction.
#[derive(Debug, Clone)]
pub enum Beside {
    Nothing,
    /// Pending evidence files to attach to the case.
    Evidence(Vec<String>),
    /// A first rating; refused with [`AppError::Conflict`] if the case has one.
    NewRating(Rating),
    /// A changed rating; refused with [`AppError::Conflict`] unless it was first given at or
    /// after `rated_since` (Unix ms) and its handling score and verdict are still `old` (what
    /// the statistics' change was computed from).
    EditRating {
        rating: Rating,
        rated_since: i64,
        old: (u8, crate::domain::tracking::RatingOutcome),
    },
}

/// An uploaded evidence file's record (its bytes are in the [`BlobStore`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRecord {
    /// 32 hex digits; also the blob's key.
    pub id: String,
    pub kind: crate::domain::evidence::EvidenceKind,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: i64,
}

/// Where evidence files are kept: local disk by default, any object store (S3-compatible) for
/// a cluster. A blob is written once: writing a key that exists is refused (a fault, since keys
/// are random), never a silent overwrite.
#[async_trait::async_trait]
pub trait BlobStore: Send + Sync + 'static {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError>;
    /// A blob written piece by piece as it arrives (an upload), never held whole in memory:
    /// it becomes the blob `key` when committed, and a writer dropped before that leaves nothing.
    async fn writer(&self, key: &str) -> Result<Box<dyn BlobWriter>, AppError>;
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError>;
    /// Removes a blob; removing one that is not there is not an error.
    async fn delete(&self, key: &str) -> Result<(), AppError>;
}

/// A blob being written (see [`BlobStore::writer`]).
#[async_trait::async_trait]
pub trait BlobWriter: Send {
    async fn write(&mut self, bytes: &[u8]) -> Result<(), AppError>;
    /// Makes what was written the blob, kept through a power loss before this returns.
    async fn commit(self: Box<Self>) -> Result<(), AppError>;
}

/// Cases with their parties, events and ratings: filing, steps, links and look-ups.
#[async_trait::async_trait]
pub trait CaseRecords: Send + Sync + 'static {
    /// Stores a new case with a fresh case number for the year of receipt, its parties and
    /// its first event (`receive`), in one transaction.
    async fn create(&self, new: NewCase) -> Result<StoredCase, AppError>;

    /// Stores an online filing in one transaction: the case, the pending evidence it names, and
    /// the report filed with it, the two linked to each other. Every named file must attach, or
    /// nothing is stored ([`AppError::Invalid`] on `evidence`, [`crate::domain::Invalid::FileGone`]).
    /// A repeated idempotency key stores nothing and returns what the first filing stored.
    /// Returns the case and the number of its report.
    async fn create_filing(
        &self,
        new: NewCase,
        evidence: &[String],
        report: Option<NewCase>,
    ) -> Result<(StoredCase, Option<CaseNo>), AppError>;

    async fn get(&self, no: &CaseNo) -> Result<Option<StoredCase>, AppError>;

    /// Links two cases to each other (a complaint and the report filed with it). Idempotent.
    async fn link(&self, a: &CaseNo, b: &CaseNo) -> Result<(), AppError>;

    /// The query-code hash of a case, for the look-up.
    async fn query_hash(&self, no: &CaseNo) -> Result<Option<String>, AppError>;

    /// The case's events in the order they happened.
    async fn events(&self, no: &CaseNo) -> Result<Vec<CaseEvent>, AppError>;

    /// The closed complaints changed after `after` and up to `upto` (`updated_at`, id), by id,
    /// whole and with their steps oldest first: a sweep's batch in two reads.
    async fn closed_between(
        &self,
        after: (i64, i64),
        upto: (i64, i64),
    ) -> Result<std::collections::HashMap<i64, (StoredCase, Vec<CaseEvent>)>, AppError>;

    /// Applies a transition if the case is still at `expected_version`: updates the case and
    /// appends the event in one transaction. A stale version gives [`AppError::Conflict`] and
    /// changes nothing; an unknown case gives [`AppError::NotFound`].
    async fn apply(
        &self,
        no: &CaseNo,
        expected_version: i64,
        from: CaseState,
        outcome: &Outcome,
        event: EventForCreate,
        urgency: crate::domain::queue::Urgency,
    ) -> Result<StoredCase, AppError>;

    /// Appends a step that leaves the state as it is (a supplement, a rating) if the case is still
    /// in `state`, with what goes beside it, in one transaction. The version is not bumped, so
    /// staff who read the case before still act on it; a changed state gives
    /// [`AppError::Conflict`] and stores nothing.
    async fn record(
        &self,
        no: &CaseNo,
        state: CaseState,
        event: EventForCreate,
        beside: Beside,
    ) -> Result<(), AppError>;

    /// Stores many cases with their histories, ratings and statistics in one transaction; returns
    /// their numbers in order.
    async fn import(&self, cases: &[ImportCase]) -> Result<Vec<CaseNo>, AppError>;

    async fn rating(&self, no: &CaseNo) -> Result<Option<StoredRating>, AppError>;

    /// The cases whose consumer gave `phone`, newest first (at most 50), with their query-code hashes.
    async fn cases_by_phone(&self, phone: &str) -> Result<Vec<(CaseNo, String)>, AppError>;

    /// Possible duplicates of case `no`: other items (newest first, at most 10) whose consumer
    /// gave `phone` about a business of that name or credit code.
    async fn similar(
        &self,
        no: &CaseNo,
        phone: &str,
        business_name: &str,
        credit_code: Option<&str>,
    ) -> Result<Vec<SimilarCase>, AppError>;
}

/// The records of evidence files (the files themselves are in a [`BlobStore`]).
#[async_trait::async_trait]
pub trait EvidenceStore: Send + Sync + 'static {
    /// Records an uploaded evidence file, not yet part of any case.
    async fn add_evidence(&self, record: &EvidenceRecord) -> Result<(), AppError>;

    /// Attaches pending evidence (uploaded, not yet attached) to a case; returns how many were
    /// attached. Ids that are unknown or already attached elsewhere are left alone.
    async fn attach_evidence(&self, no: &CaseNo, ids: &[String]) -> Result<usize, AppError>;

    /// Forgets evidence uploaded before `before` (Unix ms) that no filing attached; returns the
    /// ids, whose blobs the caller then deletes.
    async fn purge_pending_evidence(&self, before: i64) -> Result<Vec<String>, AppError>;

    /// One evidence file's record and the case it belongs to (none while pending).
    async fn evidence_get(&self, id: &str) -> Result<Option<(Option<CaseNo>, EvidenceRecord)>, AppError>;

    /// The evidence of a case, in upload order.
    async fn evidence_of(&self, no: &CaseNo) -> Result<Vec<EvidenceRecord>, AppError>;

    /// The bytes of all evidence uploaded and not yet attached to a case.
    async fn pending_evidence_bytes(&self) -> Result<i64, AppError>;
}

/// Counters of failed attempts (case look-ups, sign-ins), changed only by compare-and-swap.
#[async_trait::async_trait]
pub trait ThrottleStore: Send + Sync + 'static {
    /// The failed look-ups of `key` (zero if none are recorded).
    async fn throttle_get(&self, key: &str) -> Result<Counter, AppError>;

    /// Replaces the counter of `key` if it still is `old`; false if someone changed it first.
    async fn throttle_swap(&self, key: &str, old: Counter, new: Counter) -> Result<bool, AppError>;

    /// Forgets the failures of `key` (after a successful look-up).
    async fn throttle_clear(&self, key: &str) -> Result<(), AppError>;
}

/// Budgets: how often one key (a client address, a phone number's hash) may do something per
/// window, counted in the database so that every server of a cluster shares them.
#[async_trait::async_trait]
pub trait BudgetStore: Send + Sync + 'static {
    /// Spends one unit of `key`'s budget at `now` (ms) in windows of `window` ms, in one atomic
    /// step; returns how many units the current window has used, this one included, and when
    /// that window began.
    async fn budget_spend(&self, key: &str, now: i64, window: i64) -> Result<(i64, i64), AppError>;

    /// Forgets the budgets whose window began before `before` (ms); returns how many.
    async fn budget_purge(&self, before: i64) -> Result<u64, AppError>;
}

/// The staff work queue.
#[async_trait::async_trait]
pub trait QueueStore: Send + Sync + 'static {
    /// A page of the work queue in the chosen order (earliest deadline first, or newest first),
    /// starting after the filter's cursor (keyset pagination: as fast on the last page as on the
    /// first). Returns the rows and the cursor of the next page, if there is one.
    async fn queue(
        &self,
        filter: &QueueFilter,
        limit: i64,
    ) -> Result<(Vec<QueueRow>, Option<crate::domain::queue::Cursor>), AppError>;

    /// Cases per state (kept up to date by the database with every change) and per deadline
    /// filter, within `bureau` (all bureaus if none). `ranges` are the urgency-key ranges of the
    /// overdue, due-today and due-soon filters.
    async fn queue_counts(&self, bureau: Option<&str>, ranges: [(String, String); 3]) -> Result<QueueCounts, AppError>;

    /// The cases whose stored deadline key lies in `from..=to` (to recompute them when the
    /// calendar changes), with the version each was read at and the key.
    async fn due_between(&self, from: &str, to: &str) -> Result<Vec<(CaseNo, i64, String)>, AppError>;

    /// Stores a recomputed deadline key, if the case is still at `version` (a step taken
    /// meanwhile wrote its own). Does not change the version.
    async fn set_due(&self, no: &CaseNo, version: i64, key: &str) -> Result<bool, AppError>;
}

/// The public statistics\' running totals and the feed of steps the big screen shows.
#[async_trait::async_trait]
pub trait StatsStore: Send + Sync + 'static {
    /// Steps after event `after` in the order they were stored (at most `limit`); with no
    /// `after`, the `limit` latest in time, oldest first.
    async fn feed(&self, after: Option<i64>, limit: i64) -> Result<Vec<FeedItem>, AppError>;

    /// The id of the latest stored step (0 when there is none): where a live feed starts.
    async fn last_event_id(&self) -> Result<i64, AppError>;

    /// Items received at or after `at` (Unix ms).
    async fn received_since(&self, at: i64) -> Result<i64, AppError>;

    /// The running totals of the public statistics for the months `from`..=`to` (`YYYY-MM`).
    async fn stats_rows(
        &self,
        from: &str,
        to: &str,
    ) -> Result<(Vec<crate::domain::stats::AggRow>, Vec<crate::domain::stats::DaysRow>), AppError>;
}

/// Site-wide settings and the health check.
#[async_trait::async_trait]
pub trait MetaStore: Send + Sync + 'static {
    /// Whether the database answers.
    async fn ping(&self) -> Result<(), AppError>;

    /// A site-wide setting (e.g. `demo` when the database holds synthetic data).
    async fn meta_get(&self, key: &str) -> Result<Option<String>, AppError>;

    async fn meta_set(&self, key: &str, value: &str) -> Result<(), AppError>;

    /// Stores `value` under `key` unless the key is set; returns what is stored (so that several
    /// servers starting at once agree on one value).
    async fn meta_init(&self, key: &str, value: &str) -> Result<String, AppError>;
}

/// Everything about cases, one port per aggregate; a service asks for the narrowest it needs.
pub trait CaseStore:
    CaseRecords
    + EvidenceStore
    + ThrottleStore
    + BudgetStore
    + QueueStore
    + StatsStore
    + PublishStore
    + MetaStore
    + OutboxStore
    + PhoneCodeStore
    + BusinessStore
    + DisclosureStore
    + ObjectionStore
    + SubscriptionStore
{
}

impl<
        T: CaseRecords
            + EvidenceStore
            + ThrottleStore
            + BudgetStore
            + QueueStore
            + StatsStore
            + PublishStore
            + MetaStore
            + OutboxStore
            + PhoneCodeStore
            + BusinessStore
            + DisclosureStore
            + ObjectionStore
            + SubscriptionStore,
    > CaseStore for T
{
}

/// Everything the application stores, from one database.
pub trait Store: CaseStore + StaffStore {}

impl<T: CaseStore + StaffStore> Store for T {}

/// Every port trait, for code that calls them on a concrete adapter (`use app::ports::prelude::*`).
/// A read replica as the server watches it: reads that tolerate a little lag (public statistics,
/// the open-day screen's first view, typical cases) may go to it instead of the primary.
pub trait Replica: Send + Sync {
    /// The replica's store while it answers and is no further behind the primary than the set
    /// bound; `None` (counted and logged by the server) to read from the primary instead.
    fn current(&self) -> Option<std::sync::Arc<dyn CaseStore>>;
    /// A read from the replica failed: use the primary until the replica is seen healthy again.
    fn failed(&self);
}

pub mod prelude {
    pub use crate::ports::{
        BlobStore, BudgetStore, BusinessStore, CaseRecords, CaseStore, DisclosureStore, EvidenceStore, MetaStore,
        ObjectionStore, OutboxStore, PhoneCodeStore, PublishStore, QueueStore, SecondFactorStore, StaffStore,
        StatsStore, Store, SubscriptionStore, ThrottleStore,
    };
}
