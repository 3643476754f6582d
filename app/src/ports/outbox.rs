//! The outbox: messages owed to consumers, written by the store in the transaction of the step
//! that owes them, and delivered by the sender in each server.

use crate::domain::case::CaseNo;
use crate::domain::notify::{NoticeChannel, NoticeKind, NoticeState};
use crate::error::AppError;

/// How a case's consumer is told of its steps: one channel and its address, in a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeContact {
    pub channel: NoticeChannel,
    /// A mobile number, or an e-mail address.
    pub recipient: String,
    /// The language tag of the messages (`zh`, `en`, `bo`).
    pub lang: String,
}

/// A message a step owes the consumer; the store writes one row per contact of the case (none
/// to a contact who asked for no more messages, unless the law requires this one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeForCreate {
    pub kind: NoticeKind,
    /// What the message says besides the case number (a ground's number, a bureau's code, the
    /// query code of the receipt).
    pub params: Vec<(String, String)>,
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    /// Unique across databases (a UUID): the provider's idempotency key and the e-mail's
    /// `Message-ID`, never the row number, which another database reuses.
    pub uid: String,
    /// None for a staff digest.
    pub case_no: Option<CaseNo>,
    pub kind: NoticeKind,
    pub channel: NoticeChannel,
    pub recipient: String,
    pub lang: String,
    pub params: Vec<(String, String)>,
    pub created_at: i64,
    /// Not before this (quiet hours, or the next try).
    pub due_at: i64,
    pub state: NoticeState,
    pub attempts: u32,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

impl Notice {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// How many messages are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

#[async_trait::async_trait]
pub trait OutboxStore: Send + Sync + 'static {
    /// Hands up to `limit` pending messages of `channel` due at `now` to the caller for
    /// `lease_ms`: a message is held by one sender at a time (`FOR UPDATE SKIP LOCKED` on
    /// PostgreSQL), and goes to another once the lease ends without an answer (its sender
    /// stopped). Oldest first; a case's messages one at a time, in order.
    async fn claim_notices(
        &self,
        channel: NoticeChannel,
        now: i64,
        limit: i64,
        lease_ms: i64,
    ) -> Result<Vec<Notice>, AppError>;
    /// The provider took the message. A receipt's query code is erased from the row.
    async fn notice_sent(&self, id: i64, at: i64) -> Result<(), AppError>;
    /// A try failed: the message is tried again at `retry_at`, or parked as failed (`None`).
    async fn notice_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), AppError>;
    /// Messages in `state` (all with `None`), newest first.
    async fn notices(&self, state: Option<NoticeState>, limit: i64, offset: i64) -> Result<Vec<Notice>, AppError>;
    /// The messages of one case, oldest first.
    async fn notices_of(&self, no: &CaseNo) -> Result<Vec<Notice>, AppError>;
    async fn outbox_counts(&self) -> Result<OutboxCounts, AppError>;
    /// Whether the consumer of case `no` asked for no messages beyond those the law requires;
    /// `None` when the case has no contact to send to.
    async fn messages_opted_out(&self, no: &CaseNo) -> Result<Option<bool>, AppError>;
    /// The consumer of case `no` asks for no messages beyond those the law requires.
    async fn opt_out_of_messages(&self, no: &CaseNo) -> Result<(), AppError>;
    /// Sets (or with `None` removes) the address a staff member gets the morning digest at.
    /// False if there is no such account.
    async fn set_staff_email(&self, username: &str, email: Option<&str>) -> Result<bool, AppError>;
    /// The enabled handlers and supervisors with a digest address.
    async fn digest_recipients(&self) -> Result<Vec<(crate::domain::staff::Staff, String)>, AppError>;
    /// Writes a message of no case (a staff digest, a one-time code) to `to` in the outbox, due
    /// at `at`.
    async fn queue_loose(
        &self,
        kind: NoticeKind,
        channel: NoticeChannel,
        to: &str,
        lang: &str,
        params: &[(String, String)],
        at: i64,
    ) -> Result<(), AppError>;
    /// Writes a message of case `no` owed once per channel ([`NoticeKind::once`]) to its
    /// audience, unless it was written before; whether anything was written now.
    async fn queue_once(&self, no: &CaseNo, notice: &NoticeForCreate, at: i64) -> Result<bool, AppError>;
    /// Cases closed (and still closed) by a step taken from `from_ms` until before `to_ms` that
    /// have no rating, up to `limit`, by case number.
    async fn closed_unrated(&self, from_ms: i64, to_ms: i64, limit: i64) -> Result<Vec<CaseNo>, AppError>;
    /// Puts a failed message back in the queue, due at `now`, its tries counted anew. Whether
    /// there was such a failed message.
    async fn resend_notice(&self, id: i64, now: i64) -> Result<bool, AppError>;
}
