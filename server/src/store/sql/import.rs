//! The bulk import of cases with their whole histories (the demonstration year): one transaction,
//! the same rows and statistics as cases filed and worked one step at a time. SQLite inserts row
//! by row (in-process, no round trips); PostgreSQL streams the same rows with `COPY`
//! (`store::pg_copy`). Both read a case's rows through the helpers here.

use app::domain::workflow::{ActionName, CaseState};
use app::ports::{EventForCreate, ImportCase, ImportStep};

/// When the case last changed (its row's `updated_at`).
pub fn last_at(ic: &ImportCase) -> i64 {
    ic.steps.last().map(|s| s.event.at).unwrap_or(ic.new.received_at)
}

/// The case's row as its history left it.
pub fn new_row(ic: &ImportCase) -> super::rows::NewRow<'_> {
    super::rows::NewRow {
        state: ic.state,
        bureau: &ic.bureau,
        clock_paused: ic.clock_paused,
        recovered: ic.recovered.map(|f| f.0),
        version: ic.version,
        updated_at: last_at(ic),
        urgency: ic.urgency.key(),
    }
}

/// The receipt, the first event of every case.
pub fn receipt(ic: &ImportCase) -> ImportStep {
    ImportStep {
        event: EventForCreate {
            at: ic.new.received_at,
            actor_role: ic.new.actor_role,
            actor_id: ic.new.actor_id.clone(),
            action: ActionName::Receive,
            note: None,
            detail: None,
            stats: Vec::new(),
            notices: Vec::new(),
        },
        from: CaseState::Received,
        to: CaseState::Received,
        ground: None,
    }
}

/// When the rating was given (its step's time, else the case's last change).
pub fn rated_at(ic: &ImportCase) -> i64 {
    ic.steps.iter().rev().find(|s| s.event.action == ActionName::Rate).map(|s| s.event.at).unwrap_or(last_at(ic))
}

pub const IMPORT_EVENT: &str = "INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, \
     to_state, ground, note, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

/// The bulk import for `$store` (a struct with a `pool: sqlx::Pool<$db>`), called by `CaseRecords::import`.
macro_rules! import_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Stores many cases with their histories, ratings and statistics in one transaction.
            pub(crate) async fn import_cases(
                &self,
                cases: &[app::ports::ImportCase],
            ) -> Result<Vec<app::domain::case::CaseNo>, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use crate::store::sql::import::*;
                use sqlx::Row;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let mut out = Vec::with_capacity(cases.len());
                let mut stats = Vec::new();
                for ic in cases {
                    let new = &ic.new;
                    let year = new.received_on.year() as i64;
                    let seq: i64 =
                        sqlx::query(NEXT_NUMBER).bind(year).fetch_one(&mut *tx).await.map_err(db_err)?.get(0);
                    let case_no = app::domain::case::CaseNo::new(year as i32, seq);
                    let id = Self::insert_case(&mut *tx, &case_no, new, new_row(ic)).await?;
                    let receipt = receipt(ic);
                    for (i, s) in std::iter::once(&receipt).chain(ic.steps.iter()).enumerate() {
                        let from = if i == 0 { None } else { Some(s.from.code()) };
                        sqlx::query(IMPORT_EVENT)
                            .bind(id)
                            .bind(i as i64 + 1)
                            .bind(s.event.at)
                            .bind(s.event.actor_role.code())
                            .bind(s.event.actor_id.as_deref())
                            .bind(s.event.action.code())
                            .bind(from)
                            .bind(s.to.code())
                            .bind(s.ground.map(|g| g as i64))
                            .bind(s.event.note.as_deref())
                            .bind(s.event.detail.as_deref())
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                        stats.extend(s.event.stats.iter().cloned());
                    }
                    if let Some(r) = &ic.rating {
                        let at = rated_at(ic);
                        sqlx::query(INSERT_RATING)
                            .bind(case_no.as_str())
                            .bind(r.process as i64)
                            .bind(r.outcome.code())
                            .bind(r.comment.as_ref().map(|c| c.as_str().to_owned()))
                            .bind(at)
                            .bind(at)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db_err)?;
                    }
                    stats.extend(new.stats.iter().cloned());
                    out.push(case_no);
                }
                Self::write_stats(&mut *tx, &stats).await?;
                tx.commit().await.map_err(db_err)?;
                Ok(out)
            }
        }
    };
}

pub(crate) use import_store;
