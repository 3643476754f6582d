//! A new case's rows, written once for filing, intake and the bulk import: its number, its row,
//! its parties, its first event and its statistics, under its idempotency key.

/// The helpers that insert a new case, for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! new_case_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Inserts a new case (its row, parties, first event and statistics) in the caller's
            /// transaction and returns its number; when its idempotency key was claimed before,
            /// inserts nothing and returns the number of the case that claimed it, as `Err`.
            async fn insert_new(
                conn: &mut <$db as sqlx::Database>::Connection,
                new: &app::ports::NewCase,
            ) -> Result<Result<app::domain::case::CaseNo, app::domain::case::CaseNo>, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use crate::store::sql::rows::NewRow;
                use sqlx::Row;
                let year = new.received_on.year() as i64;
                if let Some(key) = &new.idempotency_key {
                    // First statement, a write: a concurrent twin waits here for this transaction.
                    let claimed = sqlx::query(CLAIM_KEY)
                        .bind(key)
                        .bind(new.received_at)
                        .bind(&new.content_hash)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(db_err)?;
                    if claimed.is_none() {
                        let first = sqlx::query(KEY_CASE).bind(key).fetch_one(&mut *conn).await.map_err(db_err)?;
                        let (no, created_at, hash): (String, i64, String) = (first.get(0), first.get(1), first.get(2));
                        // A replay gets the first receipt only within a day and with the same form.
                        let expired = new.received_at - created_at > app::service::filing::KEY_LIFETIME_MS;
                        let changed = !hash.is_empty() && !new.content_hash.is_empty() && hash != new.content_hash;
                        if expired || changed {
                            return Err(app::error::AppError::Invalid(vec![app::domain::FieldError::new(
                                "key",
                                app::domain::Invalid::FormResent,
                            )]));
                        }
                        let no = app::domain::case::CaseNo::parse(&no)
                            .map_err(|_| app::error::AppError::internal("idempotency", "key without case"))?;
                        return Ok(Err(no));
                    }
                }
                // The counter upsert takes the write lock before anything is read.
                let seq: i64 = sqlx::query(NEXT_NUMBER).bind(year).fetch_one(&mut *conn).await.map_err(db_err)?.get(0);
                let case_no = app::domain::case::CaseNo::new(year as i32, seq);
                // A complaint of the ODR lane starts with the business.
                let first = new.first_state();
                let row = NewRow {
                    state: first,
                    bureau: &new.bureau,
                    clock_paused: false,
                    recovered: None,
                    version: 1,
                    updated_at: new.received_at,
                    urgency: new.urgency.key(),
                };
                let id = Self::insert_case(&mut *conn, &case_no, new, row).await?;
                if let Some(code) = &new.odr_business {
                    sqlx::query(SET_ODR_BUSINESS).bind(code).bind(id).execute(&mut *conn).await.map_err(db_err)?;
                }
                sqlx::query(INSERT_EVENT)
                    .bind(id)
                    .bind(id)
                    .bind(new.received_at)
                    .bind(new.actor_role.code())
                    .bind(new.actor_id.as_deref())
                    .bind(app::domain::workflow::ActionName::Receive.code())
                    .bind(None::<String>)
                    .bind(first.code())
                    .bind(None::<i64>)
                    .bind(None::<String>)
                    .bind(None::<String>)
                    .execute(&mut *conn)
                    .await
                    .map_err(db_err)?;
                if let Some(key) = &new.idempotency_key {
                    sqlx::query(SET_KEY_CASE)
                        .bind(case_no.as_str())
                        .bind(key)
                        .execute(&mut *conn)
                        .await
                        .map_err(db_err)?;
                }
                Self::write_stats(&mut *conn, &new.stats).await?;
                Self::write_contacts(&mut *conn, id, &new.contacts).await?;
                Self::write_notices(&mut *conn, id, new.received_at, &new.notices).await?;
                Ok(Ok(case_no))
            }

            /// Inserts a case's row as `row` says and its parties; returns its id.
            async fn insert_case(
                conn: &mut <$db as sqlx::Database>::Connection,
                case_no: &app::domain::case::CaseNo,
                new: &app::ports::NewCase,
                row: crate::store::sql::rows::NewRow<'_>,
            ) -> Result<i64, app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use sqlx::Row;
                let c = &new.case;
                let id: i64 = sqlx::query(INSERT_CASE)
                    .bind(case_no.as_str())
                    .bind(c.kind.code())
                    .bind(c.channel.code())
                    .bind(row.state.code())
                    .bind(&new.rule_set)
                    .bind(row.bureau)
                    .bind(row.clock_paused)
                    .bind(&c.category)
                    .bind(new.received_at)
                    .bind(app::domain::calendar::format_date(new.received_on))
                    .bind(opt_date(c.incident_on))
                    .bind(c.amount_paid.map(|f| f.0))
                    .bind(row.recovered)
                    .bind(c.order_no.as_ref().map(|o| o.as_str().to_owned()))
                    .bind(c.demand.map(|d| d.code()))
                    .bind(c.demand_text.as_ref().map(|d| d.as_str().to_owned()))
                    .bind(c.facts.as_str())
                    .bind(c.consent_publish)
                    .bind(&new.query_hash)
                    .bind(row.version)
                    .bind(row.updated_at)
                    .bind(row.urgency)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(db_err)?
                    .get(0);
                Self::insert_parties(&mut *conn, id, c).await?;
                Ok(id)
            }

            /// The consumer (unless the report is anonymous), who filed for them (if anyone) and
            /// (when known) the business of a new case: the rows the bulk import writes too.
            async fn insert_parties(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                c: &app::domain::case::CaseForCreate,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::cases::*;
                use crate::store::sql::common::*;
                use crate::store::sql::import::{parties_of, representation_of};
                for p in parties_of(c) {
                    sqlx::query(INSERT_PARTY)
                        .bind(id)
                        .bind(p.role)
                        .bind(p.name)
                        .bind(p.phone)
                        .bind(p.address)
                        .bind(p.credit_code)
                        .bind(p.county)
                        .bind(p.platform)
                        .bind(p.shop)
                        .execute(&mut *conn)
                        .await
                        .map_err(db_err)?;
                }
                if let Some(r) = representation_of(c) {
                    sqlx::query(INSERT_REPRESENTATION)
                        .bind(id)
                        .bind(r.kind)
                        .bind(r.name)
                        .bind(r.phone)
                        .bind(r.consumers)
                        .execute(&mut *conn)
                        .await
                        .map_err(db_err)?;
                }
                Ok(())
            }
        }
    };
}

pub(crate) use new_case_store;
