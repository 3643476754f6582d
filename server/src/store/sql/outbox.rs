//! The SQL of the outbox (messages owed to consumers) and of the contacts they go to.

pub const INSERT_CONTACT: &str =
    "INSERT INTO notice_contacts (case_id, channel, recipient, lang) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (case_id, channel) DO NOTHING";

/// One row per contact of the case, in one statement: text messages due at `$5` (after the
/// quiet hours), e-mails at once; none to a contact who opted out unless the law requires it (`$6`).
/// A case has at most one contact per channel, so each channel's row takes its own message id
/// (`$7` for the text message, `$8` for the e-mail).
pub const INSERT_NOTICES: &str =
    "INSERT INTO outbox (case_id, kind, channel, recipient, lang, params, created_at, due_at, uid) \
     SELECT case_id, $2, channel, recipient, lang, $3, $4, CASE WHEN channel = 'sms' THEN $5 ELSE $4 END, \
     CASE WHEN channel = 'sms' THEN $7 ELSE $8 END \
     FROM notice_contacts WHERE case_id = $1 AND (opted_out = 0 OR $6 = 1)";

/// A message a case is owed once per channel ([`NoticeKind::once`]): as [`INSERT_NOTICES`], and
/// not written a second time (the partial unique index `outbox_once`).
///
/// [`NoticeKind::once`]: app::domain::notify::NoticeKind::once
pub const INSERT_NOTICES_ONCE: &str =
    "INSERT INTO outbox (case_id, kind, channel, recipient, lang, params, created_at, due_at, uid) \
     SELECT case_id, $2, channel, recipient, lang, $3, $4, CASE WHEN channel = 'sms' THEN $5 ELSE $4 END, \
     CASE WHEN channel = 'sms' THEN $7 ELSE $8 END \
     FROM notice_contacts WHERE case_id = $1 AND (opted_out = 0 OR $6 = 1) ON CONFLICT DO NOTHING";

/// A message to the business of the ODR lane the case went to, by e-mail at the register's
/// address (none when the register has no address), in Simplified Chinese; once per case.
pub const INSERT_BUSINESS_NOTICE: &str =
    "INSERT INTO outbox (case_id, kind, channel, recipient, lang, params, created_at, due_at, uid) \
     SELECT c.id, $2, 'email', b.email, 'zh-CN', $3, $4, $4, $5 FROM cases c \
     JOIN businesses b ON b.credit_code = c.odr_business \
     WHERE c.id = $1 AND b.email IS NOT NULL AND b.email <> '' ON CONFLICT DO NOTHING";

/// The case's id, from a write that changes nothing: the first statement of the transaction
/// takes the write lock (SQLite) or the case's row lock (PostgreSQL), as a step does.
/// Closed cases without a rating whose closing step falls in a span (the events' `at` index).
pub const CLOSED_UNRATED: &str = "SELECT DISTINCT c.case_no FROM case_events e JOIN cases c ON c.id = e.case_id \
     WHERE e.at >= $1 AND e.at < $2 AND e.to_state = 'closed' AND c.state = 'closed' \
     AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_no = c.case_no) ORDER BY c.case_no LIMIT $3";

pub const LOCK_CASE_ID: &str = "UPDATE cases SET version = version WHERE case_no = $1 RETURNING id";

/// The lease on due rows of one channel, each case's messages in order (none while an older
/// one of the same case waits): PostgreSQL skips rows another sender is claiming at that instant.
pub const CLAIM_PG: &str = "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN \
     (SELECT o.id FROM outbox o WHERE o.state = 'pending' AND o.channel = $2 AND o.due_at <= $3 \
      AND o.claimed_until <= $4 AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.case_id = o.case_id \
      AND p.channel = o.channel AND p.state = 'pending' AND p.id < o.id) \
      ORDER BY o.due_at, o.id LIMIT $5 FOR UPDATE SKIP LOCKED) RETURNING id";

/// SQLite has one writer at a time: the statement is the lock.
pub const CLAIM_SQLITE: &str = "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN \
     (SELECT o.id FROM outbox o WHERE o.state = 'pending' AND o.channel = $2 AND o.due_at <= $3 \
      AND o.claimed_until <= $4 AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.case_id = o.case_id \
      AND p.channel = o.channel AND p.state = 'pending' AND p.id < o.id) \
      ORDER BY o.due_at, o.id LIMIT $5) RETURNING id";

/// A statement reading messages with their case number, ending with `$tail`.
macro_rules! notices_where {
    ($tail:literal) => {
        concat!(
            "SELECT o.id, o.uid, c.case_no, o.kind, o.channel, o.recipient, o.lang, o.params, o.created_at, o.due_at, ",
            "o.state, o.attempts, o.sent_at, o.last_error FROM outbox o LEFT JOIN cases c ON c.id = o.case_id ",
            $tail
        )
    };
}

pub const SELECT_BY_ID: &str = notices_where!("WHERE o.id = $1");
pub const SELECT_OF_CASE: &str = notices_where!("WHERE c.case_no = $1 ORDER BY o.id");
pub const SELECT_IN_STATE: &str = notices_where!("WHERE o.state = $1 ORDER BY o.id DESC LIMIT $2 OFFSET $3");
/// Written out, so that the partial indexes of these states serve them.
pub const SELECT_FAILED: &str = notices_where!("WHERE o.state = 'failed' ORDER BY o.id DESC LIMIT $1 OFFSET $2");
pub const SELECT_PENDING: &str = notices_where!("WHERE o.state = 'pending' ORDER BY o.id DESC LIMIT $1 OFFSET $2");
pub const SELECT_ALL: &str = notices_where!("ORDER BY o.id DESC LIMIT $1 OFFSET $2");

/// Sent: neither the receipt's query code nor a one-time code stays in the row.
/// A receipt's query code and a one-time code are erased once sent; so are an alert's address
/// and links (the address is kept only in its subscription, while it lasts).
pub const MARK_SENT: &str = "UPDATE outbox SET state = 'sent', sent_at = $1, last_error = NULL, \
     params = CASE WHEN kind IN ('receipt', 'code', 'alert_confirm', 'alert_digest') THEN '[]' ELSE params END, \
     recipient = CASE WHEN kind IN ('alert_confirm', 'alert_digest') THEN '-' ELSE recipient END \
     WHERE id = $2 AND state = 'pending'";

pub const MARK_RETRY: &str =
    "UPDATE outbox SET due_at = $1, claimed_until = 0, last_error = $2 WHERE id = $3 AND state = 'pending'";

pub const MARK_FAILED: &str =
    "UPDATE outbox SET state = 'failed', claimed_until = 0, last_error = $1 WHERE id = $2 AND state = 'pending'";

pub const RESEND: &str =
    "UPDATE outbox SET state = 'pending', due_at = $1, attempts = 0, claimed_until = 0 WHERE id = $2 AND state = 'failed'";

pub const OPTED_OUT: &str = "SELECT COUNT(*) AS n, COALESCE(MIN(nc.opted_out), 0) AS o FROM notice_contacts nc \
     JOIN cases c ON c.id = nc.case_id WHERE c.case_no = $1";

pub const OPT_OUT: &str =
    "UPDATE notice_contacts SET opted_out = 1 WHERE case_id = (SELECT id FROM cases WHERE case_no = $1)";

pub const SET_STAFF_EMAIL: &str = "INSERT INTO staff_emails (username, email) VALUES ($1, $2) \
     ON CONFLICT (username) DO UPDATE SET email = excluded.email";
pub const DELETE_STAFF_EMAIL: &str = "DELETE FROM staff_emails WHERE username = $1";
pub const STAFF_EXISTS: &str = "SELECT 1 AS one FROM staff WHERE username = $1";
pub const DIGEST_RECIPIENTS: &str = "SELECT s.username, s.role, s.bureau, e.email FROM staff s \
     JOIN staff_emails e ON e.username = s.username \
     WHERE NOT s.disabled AND s.role IN ('handler', 'supervisor') ORDER BY s.username";
/// A message of no case (a staff digest, a one-time code), due at once.
pub const INSERT_LOOSE: &str =
    "INSERT INTO outbox (case_id, kind, channel, recipient, lang, params, created_at, due_at, uid) \
     VALUES (NULL, $1, $2, $3, $4, $5, $6, $6, $7)";

pub const COUNTS: &str = "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state";

pub fn params_json(params: &[(String, String)]) -> String {
    serde_json::to_string(params).unwrap_or_else(|_| "[]".into())
}

/// A new message id: a version-7 UUID (milliseconds since 1970, then random bits), unique across
/// databases, as a provider's idempotency key must be; ordered by time, so the index stays compact.
pub fn message_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Implements [`app::ports::OutboxStore`] for `$store`, and the writing of the messages a step
/// owes in the step's transaction.
macro_rules! outbox_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Records how the consumer of case `id` is told of its steps.
            pub(crate) async fn write_contacts(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                contacts: &[app::ports::NoticeContact],
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                for c in contacts {
                    sqlx::query(INSERT_CONTACT)
                        .bind(id)
                        .bind(c.channel.code())
                        .bind(&c.recipient)
                        .bind(&c.lang)
                        .execute(&mut *conn)
                        .await
                        .map_err(db_err)?;
                }
                Ok(())
            }

            /// Writes, in the caller's transaction, one row per contact of case `id` for each
            /// message a step taken at `at` owes (none to a contact who opted out, unless the
            /// law requires the message; one statement per message); text messages wait out
            /// the quiet hours.
            pub(crate) async fn write_notices(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                at: i64,
                notices: &[app::ports::NoticeForCreate],
            ) -> Result<u64, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                use app::domain::notify::Audience;
                let mut written = 0;
                for n in notices {
                    if n.kind.audience() == Audience::Business {
                        written += sqlx::query(INSERT_BUSINESS_NOTICE)
                            .bind(id)
                            .bind(n.kind.code())
                            .bind(params_json(&n.params))
                            .bind(at)
                            .bind(message_id())
                            .execute(&mut *conn)
                            .await
                            .map_err(db_err)?
                            .rows_affected();
                        continue;
                    }
                    written += sqlx::query(if n.kind.once() { INSERT_NOTICES_ONCE } else { INSERT_NOTICES })
                        .bind(id)
                        .bind(n.kind.code())
                        .bind(params_json(&n.params))
                        .bind(at)
                        .bind(app::domain::notify::sms_due_at(n.kind, at))
                        .bind(i32::from(n.kind.required()))
                        .bind(message_id())
                        .bind(message_id())
                        .execute(&mut *conn)
                        .await
                        .map_err(db_err)?
                        .rows_affected();
                }
                Ok(written)
            }

            fn notice_row(row: &<$db as sqlx::Database>::Row) -> Result<app::ports::Notice, app::error::AppError> {
                use crate::store::sql::common::*;
                use app::domain::notify::*;
                use sqlx::Row;
                let text = |k: &str| -> String { row.get(k) };
                let params: Vec<(String, String)> =
                    serde_json::from_str(&text("params")).map_err(|_| corrupt("notice params", &text("params")))?;
                let attempts: i32 = row.get("attempts");
                Ok(app::ports::Notice {
                    id: row.get("id"),
                    uid: row.get::<Option<String>, _>("uid").unwrap_or_default(),
                    case_no: match row.get::<Option<String>, _>("case_no") {
                        Some(no) => Some(app::domain::case::CaseNo::parse(&no).map_err(|_| corrupt("case_no", &no))?),
                        None => None,
                    },
                    kind: code("notice kind", &text("kind"), NoticeKind::from_code)?,
                    channel: code("channel", &text("channel"), NoticeChannel::from_code)?,
                    recipient: text("recipient"),
                    lang: text("lang"),
                    params,
                    created_at: row.get("created_at"),
                    due_at: row.get("due_at"),
                    state: code("notice state", &text("state"), NoticeState::from_code)?,
                    attempts: attempts.max(0) as u32,
                    sent_at: row.get("sent_at"),
                    last_error: row.get("last_error"),
                })
            }
        }

        #[async_trait::async_trait]
        impl app::ports::OutboxStore for $store {
            async fn claim_notices(
                &self,
                channel: app::domain::notify::NoticeChannel,
                now: i64,
                limit: i64,
                lease_ms: i64,
            ) -> Result<Vec<app::ports::Notice>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                use sqlx::Row;
                let claim = if <$db as sqlx::Database>::NAME == "PostgreSQL" { CLAIM_PG } else { CLAIM_SQLITE };
                let ids: Vec<i64> = sqlx::query(claim)
                    .bind(now + lease_ms)
                    .bind(channel.code())
                    .bind(now)
                    .bind(now)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?
                    .iter()
                    .map(|r| r.get(0))
                    .collect();
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Some(row) =
                        sqlx::query(SELECT_BY_ID).bind(id).fetch_optional(&self.pool).await.map_err(db_err)?
                    {
                        out.push(Self::notice_row(&row)?);
                    }
                }
                out.sort_by_key(|n| (n.due_at, n.id));
                Ok(out)
            }

            async fn notice_sent(&self, id: i64, at: i64) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                sqlx::query(MARK_SENT).bind(at).bind(id).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }

            async fn notice_failed(
                &self,
                id: i64,
                error: &str,
                retry_at: Option<i64>,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                let error: String = error.chars().take(500).collect();
                match retry_at {
                    Some(at) => sqlx::query(MARK_RETRY).bind(at).bind(error).bind(id).execute(&self.pool).await,
                    None => sqlx::query(MARK_FAILED).bind(error).bind(id).execute(&self.pool).await,
                }
                .map_err(db_err)?;
                Ok(())
            }

            async fn notices(
                &self,
                state: Option<app::domain::notify::NoticeState>,
                limit: i64,
                offset: i64,
            ) -> Result<Vec<app::ports::Notice>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                use app::domain::notify::NoticeState;
                let rows = match state {
                    Some(NoticeState::Failed) => {
                        sqlx::query(SELECT_FAILED).bind(limit).bind(offset).fetch_all(&self.pool).await
                    }
                    Some(NoticeState::Pending) => {
                        sqlx::query(SELECT_PENDING).bind(limit).bind(offset).fetch_all(&self.pool).await
                    }
                    Some(s) => {
                        sqlx::query(SELECT_IN_STATE).bind(s.code()).bind(limit).bind(offset).fetch_all(&self.pool).await
                    }
                    None => sqlx::query(SELECT_ALL).bind(limit).bind(offset).fetch_all(&self.pool).await,
                }
                .map_err(db_err)?;
                rows.iter().map(Self::notice_row).collect()
            }

            async fn notices_of(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Vec<app::ports::Notice>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                let rows = sqlx::query(SELECT_OF_CASE).bind(no.as_str()).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter().map(Self::notice_row).collect()
            }

            async fn outbox_counts(&self) -> Result<app::ports::OutboxCounts, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                use sqlx::Row;
                let mut counts = app::ports::OutboxCounts::default();
                for row in sqlx::query(COUNTS).fetch_all(&self.pool).await.map_err(db_err)? {
                    let (state, n): (String, i64) = (row.get("state"), row.get("n"));
                    match state.as_str() {
                        "pending" => counts.pending = n,
                        "sent" => counts.sent = n,
                        "failed" => counts.failed = n,
                        _ => {}
                    }
                }
                Ok(counts)
            }

            async fn messages_opted_out(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Option<bool>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                use sqlx::Row;
                let row = sqlx::query(OPTED_OUT).bind(no.as_str()).fetch_one(&self.pool).await.map_err(db_err)?;
                let (n, o): (i64, i32) = (row.get("n"), row.get("o"));
                Ok((n > 0).then_some(o != 0))
            }

            async fn opt_out_of_messages(&self, no: &app::domain::case::CaseNo) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                sqlx::query(OPT_OUT).bind(no.as_str()).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }

            async fn set_staff_email(&self, username: &str, email: Option<&str>) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                if sqlx::query(STAFF_EXISTS).bind(username).fetch_optional(&self.pool).await.map_err(db_err)?.is_none()
                {
                    return Ok(false);
                }
                match email {
                    Some(e) => sqlx::query(SET_STAFF_EMAIL).bind(username).bind(e).execute(&self.pool).await,
                    None => sqlx::query(DELETE_STAFF_EMAIL).bind(username).execute(&self.pool).await,
                }
                .map_err(db_err)?;
                Ok(true)
            }

            async fn digest_recipients(
                &self,
            ) -> Result<Vec<(app::domain::staff::Staff, String)>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                use sqlx::Row;
                let rows = sqlx::query(DIGEST_RECIPIENTS).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        let (user, role): (String, String) = (r.get("username"), r.get("role"));
                        let staff = app::domain::staff::Staff {
                            username: app::domain::staff::Username::parse(&user)
                                .map_err(|_| corrupt("username", &user))?,
                            role: code("role", &role, app::domain::workflow::Role::from_code)?,
                            bureau: r.get("bureau"),
                            business: None,
                        };
                        Ok((staff, r.get("email")))
                    })
                    .collect()
            }

            async fn queue_loose(
                &self,
                kind: app::domain::notify::NoticeKind,
                channel: app::domain::notify::NoticeChannel,
                to: &str,
                lang: &str,
                params: &[(String, String)],
                at: i64,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                sqlx::query(INSERT_LOOSE)
                    .bind(kind.code())
                    .bind(channel.code())
                    .bind(to)
                    .bind(lang)
                    .bind(params_json(params))
                    .bind(at)
                    .bind(message_id())
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            async fn queue_once(
                &self,
                no: &app::domain::case::CaseNo,
                notice: &app::ports::NoticeForCreate,
                at: i64,
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                use sqlx::Row;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let Some(row) =
                    sqlx::query(LOCK_CASE_ID).bind(no.as_str()).fetch_optional(&mut *tx).await.map_err(db_err)?
                else {
                    return Ok(false);
                };
                let id: i64 = row.get(0);
                let written = Self::write_notices(&mut *tx, id, at, std::slice::from_ref(notice)).await?;
                tx.commit().await.map_err(db_err)?;
                Ok(written > 0)
            }

            async fn closed_unrated(
                &self,
                from_ms: i64,
                to_ms: i64,
                limit: i64,
            ) -> Result<Vec<app::domain::case::CaseNo>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                use sqlx::Row;
                let rows = sqlx::query(CLOSED_UNRATED)
                    .bind(from_ms)
                    .bind(to_ms)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        let no: String = r.get(0);
                        app::domain::case::CaseNo::parse(&no).map_err(|_| corrupt("case_no", &no))
                    })
                    .collect()
            }

            async fn resend_notice(&self, id: i64, now: i64) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::*;
                let done = sqlx::query(RESEND).bind(now).bind(id).execute(&self.pool).await.map_err(db_err)?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use outbox_store;
