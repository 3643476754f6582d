//! The SQL of the objections to disclosed complaints and the decisions on them, written once for
//! both backends.

/// Nothing is written while the item has an objection awaiting a decision (the partial unique
/// index `disclosure_objections_open`).
pub const ADD: &str = "INSERT INTO disclosure_objections (case_id, business_key, via, by_account, reason, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id";

macro_rules! columns {
    () => {
        "SELECT id, case_id, business_key, via, by_account, reason, created_at, decision, note, decided_by, \
         decided_at FROM disclosure_objections"
    };
}

/// `$1` a business key ('' for the objections awaiting a decision), `$2` the limit.
pub const LIST: &str =
    concat!(columns!(), " WHERE ($1 = '' AND decision IS NULL) OR business_key = $1 ORDER BY id DESC LIMIT $2");

pub const GET: &str = concat!(columns!(), " WHERE id = $1");

pub const DECIDE: &str = "UPDATE disclosure_objections SET decision = $1, note = $2, decided_by = $3, decided_at = $4 \
     WHERE id = $5 AND decision IS NULL RETURNING case_id";

pub const HIDE: &str = "UPDATE disclosures SET hidden = 1 WHERE case_id = $1";

pub const CORRECT: &str = "UPDATE disclosures SET corrected_issue = $1, corrected_on = $2 WHERE case_id = $3";

/// Implements [`app::ports::ObjectionStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! objection_store {
    ($store:ty, $db:ty) => {
        impl $store {
            fn objection_of(
                r: &<$db as sqlx::Database>::Row,
            ) -> Result<app::ports::ObjectionRecord, app::error::AppError> {
                use crate::store::sql::common::*;
                use app::domain::disclosure::objection::Decision;
                use sqlx::Row;
                let decision: Option<String> = r.try_get("decision").map_err(db_err)?;
                Ok(app::ports::ObjectionRecord {
                    id: r.try_get("id").map_err(db_err)?,
                    new: app::ports::NewObjection {
                        item: r.try_get("case_id").map_err(db_err)?,
                        business_key: r.try_get("business_key").map_err(db_err)?,
                        via: r.try_get("via").map_err(db_err)?,
                        by_account: r.try_get("by_account").map_err(db_err)?,
                        reason: r.try_get("reason").map_err(db_err)?,
                        at: r.try_get("created_at").map_err(db_err)?,
                    },
                    decision: decision.map(|d| code("decision", &d, Decision::from_code)).transpose()?,
                    note: r.try_get("note").map_err(db_err)?,
                    decided_by: r.try_get("decided_by").map_err(db_err)?,
                    decided_at: r.try_get("decided_at").map_err(db_err)?,
                })
            }
        }

        #[async_trait::async_trait]
        impl app::ports::ObjectionStore for $store {
            async fn disclosed_item(
                &self,
                item: i64,
            ) -> Result<Option<(app::ports::DisclosedItem, bool)>, app::error::AppError> {
                use crate::store::sql::common::*;
                use sqlx::Row;
                let row = sqlx::query(crate::store::sql::disclosure::ITEM)
                    .bind(item)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_err)?;
                match row {
                    Some(r) => {
                        let hidden: i64 = r.try_get("hidden").map_err(db_err)?;
                        Ok(Some((Self::disclosed_of(&r)?, hidden != 0)))
                    }
                    None => Ok(None),
                }
            }

            async fn objection_add(&self, o: &app::ports::NewObjection) -> Result<Option<i64>, app::error::AppError> {
                use crate::store::sql::common::*;
                use sqlx::Row;
                let row = sqlx::query(crate::store::sql::objections::ADD)
                    .bind(o.item)
                    .bind(&o.business_key)
                    .bind(&o.via)
                    .bind(&o.by_account)
                    .bind(&o.reason)
                    .bind(o.at)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_err)?;
                row.map(|r| r.try_get("id").map_err(db_err)).transpose()
            }

            async fn objections(
                &self,
                business_key: Option<&str>,
                limit: i64,
            ) -> Result<Vec<app::ports::ObjectionRecord>, app::error::AppError> {
                use crate::store::sql::common::*;
                let rows = sqlx::query(crate::store::sql::objections::LIST)
                    .bind(business_key.unwrap_or(""))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.iter().map(Self::objection_of).collect()
            }

            async fn objection_get(
                &self,
                id: i64,
            ) -> Result<Option<app::ports::ObjectionRecord>, app::error::AppError> {
                use crate::store::sql::common::*;
                let row = sqlx::query(crate::store::sql::objections::GET)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_err)?;
                row.as_ref().map(Self::objection_of).transpose()
            }

            async fn objection_decide(
                &self,
                id: i64,
                decided: &app::domain::disclosure::objection::Decided,
                by: &str,
                on: &str,
                at: i64,
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::objections::*;
                use app::domain::disclosure::objection::Decision;
                use sqlx::Row;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let row = sqlx::query(DECIDE)
                    .bind(decided.decision.code())
                    .bind(&decided.note)
                    .bind(by)
                    .bind(at)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                let Some(row) = row else { return Ok(false) };
                let item: i64 = row.try_get("case_id").map_err(db_err)?;
                match decided.decision {
                    Decision::Hide => {
                        sqlx::query(HIDE).bind(item).execute(&mut *tx).await.map_err(db_err)?;
                    }
                    Decision::Correct => {
                        sqlx::query(CORRECT)
                            .bind(&decided.correction)
                            .bind(on)
                            .bind(item)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                    }
                    Decision::Keep => {}
                }
                tx.commit().await.map_err(db_err)?;
                Ok(true)
            }
        }
    };
}

pub(crate) use objection_store;
