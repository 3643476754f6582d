//! The SQL of cases, their parties and events: filing, steps, ratings, links and look-ups, written once for both backends.

/// A case's columns with its parties and representation, up to the `WHERE` (shared by the
/// reads of one case and of many).
macro_rules! case_select {
    () => {
        "SELECT c.id AS case_id, c.case_no, c.kind, c.channel, c.state, c.rule_set, c.bureau, c.clock_paused, \
     c.category, c.received_at, c.received_on, c.incident_on, c.amount_paid_fen, c.amount_recovered_fen, c.order_no, \
     c.demand, c.demand_text, c.facts, c.consent_publish, c.version, c.linked_case_no, \
     c.odr_business, c.odr_offer_fen, pc.name AS consumer_name, pc.phone AS consumer_phone, pc.address AS consumer_address, \
     pb.name AS business_name, pb.credit_code AS business_credit_code, pb.address AS business_address, \
     pb.county AS business_county, pb.platform AS business_platform, pb.shop AS business_shop, \
     r.kind AS rep_kind, r.name AS rep_name, r.phone AS rep_phone, r.consumers AS rep_consumers \
     FROM cases c \
     LEFT JOIN parties pc ON pc.case_id = c.id AND pc.role = 'consumer' \
     LEFT JOIN parties pb ON pb.case_id = c.id AND pb.role = 'business' \
     LEFT JOIN case_representation r ON r.case_id = c.id"
    };
}

pub const SELECT_CASE: &str = concat!(case_select!(), " WHERE c.case_no = $1");

/// The range of a sweep's batch: changed after (`$1`, `$2`) and up to (`$3`, `$4`), at most the
/// batch's 500 cases: read by the `cases_updated` index (a condition on the state or the kind
/// would lead SQLite to the state's index and every closed case); the closed complaints are
/// picked from them in the adapter.
macro_rules! closed_range {
    () => {
        " WHERE (c.updated_at > $1 OR (c.updated_at = $1 AND c.id > $2)) \
         AND (c.updated_at < $3 OR (c.updated_at = $3 AND c.id <= $4))"
    };
}

/// The closed complaints of a batch, whole.
pub const CLOSED_CASES: &str = concat!(case_select!(), closed_range!());

/// Their steps, case by case in order.
pub const CLOSED_EVENTS: &str = concat!(
    "SELECT e.case_id, e.seq, e.at, e.actor_role, e.actor_id, e.action, e.from_state, e.to_state, e.ground, e.note, \
     e.detail FROM case_events e JOIN cases c ON c.id = e.case_id",
    closed_range!(),
    " ORDER BY e.case_id, e.seq"
);

pub const NEXT_NUMBER: &str = "INSERT INTO case_counters (year, last) VALUES ($1, 1) \
     ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1 RETURNING last";

/// A case's row as it stands after its history so far (a new filing: received, version 1).
pub const INSERT_CASE: &str = "INSERT INTO cases (case_no, kind, channel, state, rule_set, bureau, clock_paused, \
     category, received_at, received_on, incident_on, amount_paid_fen, amount_recovered_fen, order_no, demand, \
     demand_text, facts, consent_publish, query_hash, version, updated_at, due_on) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) \
     RETURNING id";

pub const INSERT_REPRESENTATION: &str =
    "INSERT INTO case_representation (case_id, kind, name, phone, consumers) VALUES ($1, $2, $3, $4, $5)";

pub const INSERT_PARTY: &str = "INSERT INTO parties (case_id, role, name, phone, address, credit_code, county, \
     platform, shop) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// The next sequence number is computed inside the insert; `UNIQUE (case_id, seq)` refuses a
/// duplicate if two writers ever raced past the version check.
pub const INSERT_EVENT: &str = "INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, \
     to_state, ground, note, detail) \
     VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_events WHERE case_id = $2), $3, $4, $5, $6, $7, $8, $9, $10, \
     $11)";

pub const UPDATE_CASE: &str = "UPDATE cases SET state = $1, bureau = $2, clock_paused = $3, \
     amount_recovered_fen = COALESCE($4, amount_recovered_fen), version = version + 1, updated_at = $5, \
     due_on = $6, odr_offer_fen = COALESCE($9, odr_offer_fen) WHERE case_no = $7 AND version = $8 RETURNING id";

/// A new complaint goes to the business first (the ODR lane, with the consumer's consent).
pub const SET_ODR_BUSINESS: &str = "UPDATE cases SET odr_business = $1 WHERE id = $2";

pub const SELECT_EVENTS: &str = "SELECT e.seq, e.at, e.actor_role, e.actor_id, e.action, e.from_state, e.to_state, \
     e.ground, e.note, e.detail FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.case_no = $1 ORDER BY e.seq";

/// Claims an idempotency key; returns nothing when the key was claimed before.
pub const CLAIM_KEY: &str = "INSERT INTO filing_keys (key, case_no, created_at, content_hash) VALUES ($1, '', $2, $3) \
     ON CONFLICT (key) DO NOTHING RETURNING key";

pub const SET_KEY_CASE: &str = "UPDATE filing_keys SET case_no = $1 WHERE key = $2";

pub const KEY_CASE: &str = "SELECT case_no, created_at, content_hash FROM filing_keys WHERE key = $1";

/// Takes the case's write lock without changing it, if it is still in the expected state.
pub const TOUCH_IN_STATE: &str = "UPDATE cases SET updated_at = $1 WHERE case_no = $2 AND state = $3 RETURNING id";

pub const INSERT_RATING: &str = "INSERT INTO ratings (case_no, process, outcome, comment, rated_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_no) DO NOTHING RETURNING case_no";

pub const UPDATE_RATING: &str = "UPDATE ratings SET process = $1, outcome = $2, comment = $3, updated_at = $4 \
     WHERE case_no = $5 AND rated_at >= $6 AND process = $7 AND outcome = $8 RETURNING case_no";

pub const SELECT_RATING: &str =
    "SELECT process, outcome, comment, rated_at, updated_at FROM ratings WHERE case_no = $1";

pub const CASES_BY_PHONE: &str = "SELECT c.case_no, c.query_hash FROM parties p JOIN cases c ON c.id = p.case_id \
     WHERE p.phone = $1 AND p.role = 'consumer' ORDER BY c.id DESC LIMIT 50";

/// Other items from the same consumer phone about the same business (by name or credit code).
pub const SIMILAR: &str = "SELECT c.case_no, c.kind, c.state, c.received_on FROM parties pc \
     JOIN cases c ON c.id = pc.case_id \
     JOIN parties pb ON pb.case_id = c.id AND pb.role = 'business' \
     WHERE pc.phone = $1 AND pc.role = 'consumer' AND c.case_no <> $2 AND (pb.name = $3 OR pb.credit_code = $4) \
     ORDER BY c.id DESC LIMIT 10";

pub const LINK: &str = "UPDATE cases SET linked_case_no = $1 WHERE case_no = $2";

pub const EXISTS: &str = "SELECT 1 AS one FROM cases WHERE case_no = $1";

pub const QUERY_HASH: &str = "SELECT query_hash FROM cases WHERE case_no = $1";

/// Implements [`app::ports::CaseRecords`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! cases_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The id a step's guarded write returned (the first statement of its transaction,
            /// taking the case's write lock); when it returned nothing, why: the case has changed
            /// ([`app::error::AppError::Conflict`]) or there is no such case.
            async fn locked_id(
                conn: &mut <$db as sqlx::Database>::Connection,
                no: &app::domain::case::CaseNo,
                row: Option<<$db as sqlx::Database>::Row>,
            ) -> Result<i64, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use sqlx::Row;
                if let Some(row) = row {
                    return Ok(row.get(0));
                }
                let exists = sqlx::query(EXISTS).bind(no.as_str()).fetch_optional(&mut *conn).await.map_err(db_err)?;
                Err(if exists.is_some() { app::error::AppError::Conflict } else { app::error::AppError::NotFound })
            }

            /// Appends a step's event to case `id` and adds what it counts to the statistics, in
            /// the caller's transaction: the end of every step, whatever it changed before.
            async fn append_step(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                event: &app::ports::EventForCreate,
                (from, to): (app::domain::workflow::CaseState, app::domain::workflow::CaseState),
                ground: Option<i64>,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                sqlx::query(INSERT_EVENT)
                    .bind(id)
                    .bind(id)
                    .bind(event.at)
                    .bind(event.actor_role.code())
                    .bind(event.actor_id.as_deref())
                    .bind(event.action.code())
                    .bind(from.code())
                    .bind(to.code())
                    .bind(ground)
                    .bind(event.note.as_deref())
                    .bind(event.detail.as_deref())
                    .execute(&mut *conn)
                    .await
                    .map_err(db_err)?;
                Self::write_stats(&mut *conn, &event.stats).await?;
                Self::write_notices(&mut *conn, id, event.at, &event.notices).await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl app::ports::CaseRecords for $store {
            async fn create(&self, new: app::ports::NewCase) -> Result<app::ports::StoredCase, app::error::AppError> {
                use crate::store::sql::common::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let no = match Self::insert_new(&mut *tx, &new).await? {
                    Ok(no) => {
                        tx.commit().await.map_err(db_err)?;
                        no
                    }
                    Err(first) => {
                        tx.rollback().await.map_err(db_err)?;
                        first
                    }
                };
                self.get(&no).await?.ok_or_else(|| app::error::AppError::internal("create", "case vanished"))
            }

            async fn create_filing(
                &self,
                new: app::ports::NewCase,
                evidence: &[String],
                report: Option<app::ports::NewCase>,
            ) -> Result<(app::ports::StoredCase, Option<app::domain::case::CaseNo>), app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use crate::store::sql::evidence::ATTACH_EVIDENCE;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let no = match Self::insert_new(&mut *tx, &new).await? {
                    Ok(no) => no,
                    Err(first) => {
                        tx.rollback().await.map_err(db_err)?;
                        let case = self.get(&first).await?.ok_or(app::error::AppError::NotFound)?;
                        let report = case.linked_case_no.clone();
                        return Ok((case, report));
                    }
                };
                let mut attached = 0;
                for id in evidence {
                    let done = sqlx::query(ATTACH_EVIDENCE)
                        .bind(no.as_str())
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    attached += done.rows_affected() as usize;
                }
                if attached != evidence.len() {
                    tx.rollback().await.map_err(db_err)?;
                    let gone = app::domain::FieldError::new("evidence", app::domain::Invalid::FileGone);
                    return Err(app::error::AppError::Invalid(vec![gone]));
                }
                let mut linked = None;
                if let Some(report) = &report {
                    let other = match Self::insert_new(&mut *tx, report).await? {
                        Ok(other) | Err(other) => other,
                    };
                    sqlx::query(LINK).bind(other.as_str()).bind(no.as_str()).execute(&mut *tx).await.map_err(db_err)?;
                    sqlx::query(LINK).bind(no.as_str()).bind(other.as_str()).execute(&mut *tx).await.map_err(db_err)?;
                    linked = Some(other);
                }
                tx.commit().await.map_err(db_err)?;
                let case =
                    self.get(&no).await?.ok_or_else(|| app::error::AppError::internal("create", "case vanished"))?;
                Ok((case, linked))
            }

            async fn get(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Option<app::ports::StoredCase>, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use crate::store::sql::rows::*;
                use sqlx::FromRow;
                let row =
                    sqlx::query(SELECT_CASE).bind(no.as_str()).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.map(|r| CaseRow::from_row(&r).map_err(db_err)?.into_case()).transpose()
            }

            async fn link(
                &self,
                a: &app::domain::case::CaseNo,
                b: &app::domain::case::CaseNo,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                sqlx::query(LINK).bind(b.as_str()).bind(a.as_str()).execute(&mut *tx).await.map_err(db_err)?;
                sqlx::query(LINK).bind(a.as_str()).bind(b.as_str()).execute(&mut *tx).await.map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
                Ok(())
            }

            async fn query_hash(&self, no: &app::domain::case::CaseNo) -> Result<Option<String>, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use sqlx::Row;
                let row = sqlx::query(QUERY_HASH).bind(no.as_str()).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.map(|r| r.try_get::<String, _>(0).map_err(db_err)).transpose()
            }

            async fn events(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Vec<app::ports::CaseEvent>, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use crate::store::sql::rows::*;
                use sqlx::FromRow;
                let rows = sqlx::query(SELECT_EVENTS).bind(no.as_str()).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter().map(|r| EventRow::from_row(r).map_err(db_err)?.into_event()).collect()
            }

            async fn closed_between(
                &self,
                after: (i64, i64),
                upto: (i64, i64),
            ) -> Result<
                std::collections::HashMap<i64, (app::ports::StoredCase, Vec<app::ports::CaseEvent>)>,
                app::error::AppError,
            > {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use crate::store::sql::rows::*;
                use sqlx::{FromRow, Row};
                let bind = |q: &'static str| sqlx::query(q).bind(after.0).bind(after.1).bind(upto.0).bind(upto.1);
                let mut out = std::collections::HashMap::new();
                for r in bind(CLOSED_CASES).fetch_all(&self.pool).await.map_err(db_err)? {
                    let id: i64 = r.try_get("case_id").map_err(db_err)?;
                    let case = CaseRow::from_row(&r).map_err(db_err)?.into_case()?;
                    if case.kind == app::domain::kind::ItemKind::Complaint
                        && case.state == app::domain::workflow::CaseState::Closed
                    {
                        out.insert(id, (case, Vec::new()));
                    }
                }
                for r in bind(CLOSED_EVENTS).fetch_all(&self.pool).await.map_err(db_err)? {
                    let id: i64 = r.try_get("case_id").map_err(db_err)?;
                    if let Some((_, events)) = out.get_mut(&id) {
                        events.push(EventRow::from_row(&r).map_err(db_err)?.into_event()?);
                    }
                }
                Ok(out)
            }

            async fn apply(
                &self,
                no: &app::domain::case::CaseNo,
                expected_version: i64,
                from: app::domain::workflow::CaseState,
                outcome: &app::domain::workflow::Outcome,
                event: app::ports::EventForCreate,
                urgency: app::domain::queue::Urgency,
            ) -> Result<app::ports::StoredCase, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                // The guarded update is the first statement: it both takes the write lock and
                // refuses a stale version.
                let updated = sqlx::query(UPDATE_CASE)
                    .bind(outcome.to.code())
                    .bind(&outcome.bureau)
                    .bind(outcome.clock_paused)
                    .bind(outcome.recovered.map(|f| f.0))
                    .bind(event.at)
                    .bind(urgency.key())
                    .bind(no.as_str())
                    .bind(expected_version)
                    .bind(outcome.offer.map(|f| f.0))
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                let id = Self::locked_id(&mut *tx, no, updated).await?;
                let ground = outcome.ground.map(|g| g as i64);
                Self::append_step(&mut *tx, id, &event, (from, outcome.to), ground).await?;
                tx.commit().await.map_err(db_err)?;
                self.get(no).await?.ok_or(app::error::AppError::NotFound)
            }

            async fn record(
                &self,
                no: &app::domain::case::CaseNo,
                state: app::domain::workflow::CaseState,
                event: app::ports::EventForCreate,
                beside: app::ports::Beside,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use crate::store::sql::evidence::ATTACH_EVIDENCE;
                use app::ports::Beside;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                // First statement, a write: serialises with staff steps on the same case.
                let touched = sqlx::query(TOUCH_IN_STATE)
                    .bind(event.at)
                    .bind(no.as_str())
                    .bind(state.code())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                let id = Self::locked_id(&mut *tx, no, touched).await?;
                let comment = |r: &app::domain::tracking::Rating| r.comment.as_ref().map(|c| c.as_str().to_owned());
                let done = match &beside {
                    Beside::Nothing => true,
                    Beside::Evidence(ids) => {
                        for evidence in ids {
                            sqlx::query(ATTACH_EVIDENCE)
                                .bind(no.as_str())
                                .bind(evidence)
                                .execute(&mut *tx)
                                .await
                                .map_err(db_err)?;
                        }
                        true
                    }
                    Beside::NewRating(r) => sqlx::query(INSERT_RATING)
                        .bind(no.as_str())
                        .bind(r.process as i64)
                        .bind(r.outcome.code())
                        .bind(comment(r))
                        .bind(event.at)
                        .bind(event.at)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db_err)?
                        .is_some(),
                    Beside::EditRating { rating: r, rated_since, old: (old_process, old_outcome) } => {
                        sqlx::query(UPDATE_RATING)
                            .bind(r.process as i64)
                            .bind(r.outcome.code())
                            .bind(comment(r))
                            .bind(event.at)
                            .bind(no.as_str())
                            .bind(*rated_since)
                            .bind(*old_process as i64)
                            .bind(old_outcome.code())
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db_err)?
                            .is_some()
                    }
                };
                if !done {
                    tx.rollback().await.map_err(db_err)?;
                    return Err(app::error::AppError::Conflict);
                }
                Self::append_step(&mut *tx, id, &event, (state, state), None).await?;
                tx.commit().await.map_err(db_err)
            }

            async fn import(
                &self,
                cases: &[app::ports::ImportCase],
            ) -> Result<Vec<app::domain::case::CaseNo>, app::error::AppError> {
                self.import_cases(cases).await
            }

            async fn rating(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Option<app::ports::StoredRating>, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use sqlx::Row;
                let Some(r) =
                    sqlx::query(SELECT_RATING).bind(no.as_str()).fetch_optional(&self.pool).await.map_err(db_err)?
                else {
                    return Ok(None);
                };
                let outcome: String = r.try_get("outcome").map_err(db_err)?;
                let process: i64 = r.try_get("process").map_err(db_err)?;
                let comment: Option<String> = r.try_get("comment").map_err(db_err)?;
                Ok(Some(app::ports::StoredRating {
                    rating: app::domain::tracking::Rating {
                        process: process as u8,
                        outcome: code("rating outcome", &outcome, app::domain::tracking::RatingOutcome::from_code)?,
                        comment: comment.map(app::domain::fields::Comment::from_stored),
                    },
                    rated_at: r.try_get("rated_at").map_err(db_err)?,
                    updated_at: r.try_get("updated_at").map_err(db_err)?,
                }))
            }

            async fn cases_by_phone(
                &self,
                phone: &str,
            ) -> Result<Vec<(app::domain::case::CaseNo, String)>, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use sqlx::Row;
                let rows = sqlx::query(CASES_BY_PHONE).bind(phone).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        let no: String = r.try_get(0).map_err(db_err)?;
                        let hash: String = r.try_get(1).map_err(db_err)?;
                        Ok((code("case number", &no, |s| app::domain::case::CaseNo::parse(s).ok())?, hash))
                    })
                    .collect()
            }

            async fn similar(
                &self,
                no: &app::domain::case::CaseNo,
                phone: &str,
                business_name: &str,
                credit_code: Option<&str>,
            ) -> Result<Vec<app::ports::SimilarCase>, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use sqlx::Row;
                let rows = sqlx::query(SIMILAR)
                    .bind(phone)
                    .bind(no.as_str())
                    .bind(business_name)
                    .bind(credit_code)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        let text = |i: usize| r.try_get::<String, _>(i).map_err(db_err);
                        Ok(app::ports::SimilarCase {
                            case_no: code("case number", &text(0)?, |s| app::domain::case::CaseNo::parse(s).ok())?,
                            kind: code("kind", &text(1)?, app::domain::kind::ItemKind::from_code)?,
                            state: code("state", &text(2)?, app::domain::workflow::CaseState::from_code)?,
                            received_on: date(&text(3)?)?,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use cases_store;
