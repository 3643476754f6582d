//! The SQL of the register of businesses and their ODR memberships, written once for both
//! backends.

pub const PUT: &str = "INSERT INTO businesses (credit_code, name, address, county, email, advance_compensation, \
     returns_without_reason, service_station, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name, address = excluded.address, \
     county = excluded.county, email = excluded.email, advance_compensation = excluded.advance_compensation, \
     returns_without_reason = excluded.returns_without_reason, service_station = excluded.service_station, \
     updated_at = excluded.updated_at";

pub const GET: &str = "SELECT credit_code, name, address, county, email, advance_compensation, \
     returns_without_reason, service_station, odr FROM businesses WHERE credit_code = $1";

/// By name or credit code in the whole province, by name.
pub const SEARCH: &str = "SELECT credit_code, name, address, county, email, advance_compensation, \
     returns_without_reason, service_station, odr FROM businesses WHERE (name LIKE $1 OR credit_code LIKE $2) \
     ORDER BY name LIMIT $3";

/// The same within a county (the index `(county, name)`).
pub const SEARCH_COUNTY: &str = "SELECT credit_code, name, address, county, email, advance_compensation, \
     returns_without_reason, service_station, odr FROM businesses WHERE (name LIKE $1 OR credit_code LIKE $2) \
     AND county = $4 ORDER BY name LIMIT $3";

/// The guarded change of standing: applies only from the standing the decision was made on.
pub const DECIDE: &str = "UPDATE businesses SET odr = $1, updated_at = $2 WHERE credit_code = $3 AND odr = $4";

pub const RECORD: &str = "INSERT INTO business_memberships (credit_code, change, status, on_day, bureau, actor, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Per business of the lane: its complaints, answered, passed on unanswered, ended, settled, and
/// settled ones the consumer rated solved (the events' actions, the ratings' outcomes).
pub const LANE_RECORDS: &str = "SELECT c.odr_business AS code, COUNT(*) AS complaints, \
     SUM(CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action IN ('odr_offer', 'odr_decline')) \
         THEN 1 ELSE 0 END) AS answered, \
     SUM(CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'pass_on') \
         AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action IN ('odr_offer', 'odr_decline')) \
         THEN 1 ELSE 0 END) AS unanswered, \
     SUM(CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id \
         AND e.action IN ('accept_offer', 'reject_offer', 'odr_decline', 'pass_on')) THEN 1 ELSE 0 END) AS ended, \
     SUM(CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'accept_offer') \
         THEN 1 ELSE 0 END) AS settled, \
     SUM(CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'accept_offer') \
         AND EXISTS (SELECT 1 FROM ratings r WHERE r.case_no = c.case_no AND r.outcome = 'resolved') \
         THEN 1 ELSE 0 END) AS solved \
     FROM cases c WHERE c.odr_business IS NOT NULL GROUP BY c.odr_business ORDER BY c.odr_business";

pub const HISTORY: &str = "SELECT change, status, on_day, bureau, actor, at FROM business_memberships \
     WHERE credit_code = $1 ORDER BY id";

/// `%text%` for `LIKE`, with the pattern characters of the text taken literally.
pub fn contains(text: &str) -> String {
    let escaped: String = text.chars().filter(|c| !matches!(c, '%' | '_' | '\\')).collect();
    format!("%{escaped}%")
}

/// Implements [`app::ports::BusinessStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! business_store {
    ($store:ty, $db:ty) => {
        impl $store {
            fn business_of(
                r: &<$db as sqlx::Database>::Row,
            ) -> Result<app::domain::business::RegisteredBusiness, app::error::AppError> {
                use crate::store::sql::common::*;
                use app::domain::fields::{Address, BusinessName};
                use sqlx::Row;
                let code_text: String = r.try_get("credit_code").map_err(db_err)?;
                let credit_code = app::domain::credit_code::CreditCode::parse(&code_text)
                    .map_err(|_| corrupt("credit code", &code_text))?;
                let email: Option<String> = r.try_get("email").map_err(db_err)?;
                let odr: String = r.try_get("odr").map_err(db_err)?;
                Ok(app::domain::business::RegisteredBusiness {
                    credit_code,
                    name: BusinessName::from_stored(r.try_get("name").map_err(db_err)?),
                    address: Address::from_stored(r.try_get("address").map_err(db_err)?),
                    county: r.try_get("county").map_err(db_err)?,
                    email: email
                        .map(|e| {
                            app::domain::party::Email::parse_optional(&e)
                                .ok()
                                .flatten()
                                .ok_or_else(|| corrupt("email", ""))
                        })
                        .transpose()?,
                    pledges: app::domain::business::Pledges {
                        advance_compensation: r.try_get("advance_compensation").map_err(db_err)?,
                        returns_without_reason: r.try_get("returns_without_reason").map_err(db_err)?,
                        service_station: r.try_get("service_station").map_err(db_err)?,
                    },
                    odr: code("odr", &odr, app::domain::business::OdrStatus::from_code)?,
                })
            }

            async fn put_business<'e, E>(
                exec: E,
                b: &app::domain::business::RegisteredBusiness,
                now: i64,
            ) -> Result<(), app::error::AppError>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                use crate::store::sql::businesses::*;
                use crate::store::sql::common::*;
                sqlx::query(PUT)
                    .bind(b.credit_code.as_str())
                    .bind(b.name.as_str())
                    .bind(b.address.as_str())
                    .bind(&b.county)
                    .bind(b.email.as_ref().map(|e| e.as_str().to_owned()))
                    .bind(b.pledges.advance_compensation)
                    .bind(b.pledges.returns_without_reason)
                    .bind(b.pledges.service_station)
                    .bind(now)
                    .execute(exec)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            async fn record_decision<'e, E>(
                exec: E,
                credit_code: &str,
                record: &app::ports::MembershipRecord,
            ) -> Result<(), app::error::AppError>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                use crate::store::sql::businesses::*;
                use crate::store::sql::common::*;
                sqlx::query(RECORD)
                    .bind(credit_code)
                    .bind(record.change.code())
                    .bind(record.status.code())
                    .bind(&record.on)
                    .bind(&record.bureau)
                    .bind(record.actor.as_deref())
                    .bind(record.at)
                    .execute(exec)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl app::ports::BusinessStore for $store {
            async fn business_put(
                &self,
                entry: &app::domain::business::RegisteredBusiness,
                now: i64,
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let existed = {
                    use crate::store::sql::businesses::*;
                    sqlx::query(GET)
                        .bind(entry.credit_code.as_str())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db_err)?
                        .is_some()
                };
                Self::put_business(&mut *tx, entry, now).await?;
                tx.commit().await.map_err(db_err)?;
                Ok(!existed)
            }

            async fn business_get(
                &self,
                credit_code: &str,
            ) -> Result<Option<app::domain::business::RegisteredBusiness>, app::error::AppError> {
                use crate::store::sql::businesses::*;
                use crate::store::sql::common::*;
                let row = sqlx::query(GET).bind(credit_code).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.as_ref().map(Self::business_of).transpose()
            }

            async fn business_search(
                &self,
                text: &str,
                county: Option<&str>,
                limit: i64,
            ) -> Result<Vec<app::domain::business::RegisteredBusiness>, app::error::AppError> {
                use crate::store::sql::businesses::*;
                use crate::store::sql::common::*;
                let sql = if county.is_some() { SEARCH_COUNTY } else { SEARCH };
                let prefix =
                    format!("{}%", contains(text).trim_start_matches('%').trim_end_matches('%').to_ascii_uppercase());
                let mut q = sqlx::query(sql).bind(contains(text)).bind(prefix).bind(limit);
                if let Some(c) = county {
                    q = q.bind(c);
                }
                let rows = q.fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter().map(Self::business_of).collect()
            }

            async fn business_decide(
                &self,
                credit_code: &str,
                from: app::domain::business::OdrStatus,
                record: &app::ports::MembershipRecord,
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::businesses::*;
                use crate::store::sql::common::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let done = sqlx::query(DECIDE)
                    .bind(record.status.code())
                    .bind(record.at)
                    .bind(credit_code)
                    .bind(from.code())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                Self::record_decision(&mut *tx, credit_code, record).await?;
                tx.commit().await.map_err(db_err)?;
                Ok(true)
            }

            async fn business_lane_records(
                &self,
            ) -> Result<Vec<(String, app::domain::business::LaneRecord)>, app::error::AppError> {
                use crate::store::sql::businesses::*;
                use crate::store::sql::common::*;
                use sqlx::Row;
                let rows = sqlx::query(LANE_RECORDS).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        let n = |k: &str| -> Result<i64, app::error::AppError> { r.try_get(k).map_err(db_err) };
                        let record = app::domain::business::LaneRecord {
                            complaints: n("complaints")?,
                            answered: n("answered")?,
                            unanswered: n("unanswered")?,
                            ended: n("ended")?,
                            settled: n("settled")?,
                            solved: n("solved")?,
                        };
                        Ok((r.try_get("code").map_err(db_err)?, record))
                    })
                    .collect()
            }

            async fn business_history(
                &self,
                credit_code: &str,
            ) -> Result<Vec<app::ports::MembershipRecord>, app::error::AppError> {
                use crate::store::sql::businesses::*;
                use crate::store::sql::common::*;
                use sqlx::Row;
                let rows = sqlx::query(HISTORY).bind(credit_code).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        let change: String = r.try_get("change").map_err(db_err)?;
                        let status: String = r.try_get("status").map_err(db_err)?;
                        Ok(app::ports::MembershipRecord {
                            change: code("change", &change, app::domain::business::MembershipChange::from_code)?,
                            status: code("status", &status, app::domain::business::OdrStatus::from_code)?,
                            on: r.try_get("on_day").map_err(db_err)?,
                            bureau: r.try_get("bureau").map_err(db_err)?,
                            actor: r.try_get("actor").map_err(db_err)?,
                            at: r.try_get("at").map_err(db_err)?,
                        })
                    })
                    .collect()
            }

            async fn business_import(
                &self,
                entries: &[(app::domain::business::RegisteredBusiness, bool)],
                record: &app::ports::MembershipRecord,
            ) -> Result<(u64, u64), app::error::AppError> {
                use crate::store::sql::businesses::*;
                use crate::store::sql::common::*;
                use app::domain::business::{MembershipChange, OdrStatus};
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let (mut written, mut joined) = (0, 0);
                for (entry, join) in entries {
                    Self::put_business(&mut *tx, entry, record.at).await?;
                    written += 1;
                    if !*join {
                        continue;
                    }
                    for from in [OdrStatus::Outside, OdrStatus::Left] {
                        let done = sqlx::query(DECIDE)
                            .bind(OdrStatus::Joined.code())
                            .bind(record.at)
                            .bind(entry.credit_code.as_str())
                            .bind(from.code())
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                        if done.rows_affected() > 0 {
                            let rec = app::ports::MembershipRecord {
                                change: MembershipChange::Join,
                                status: OdrStatus::Joined,
                                ..record.clone()
                            };
                            Self::record_decision(&mut *tx, entry.credit_code.as_str(), &rec).await?;
                            joined += 1;
                            break;
                        }
                    }
                }
                tx.commit().await.map_err(db_err)?;
                Ok((written, joined))
            }
        }
    };
}

pub(crate) use business_store;
