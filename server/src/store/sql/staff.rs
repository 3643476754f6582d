//! The SQL of staff accounts, sessions and the audit log, written once for both backends.

pub const STAFF_INSERT: &str = "INSERT INTO staff (username, role, bureau, password_hash, disabled, updated_at, \
     business) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING";
pub const STAFF_SET: &str = "INSERT INTO staff (username, role, bureau, password_hash, disabled, updated_at, \
     business) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO UPDATE SET role = excluded.role, \
     bureau = excluded.bureau, business = excluded.business, password_hash = excluded.password_hash, disabled = excluded.disabled, \
     updated_at = excluded.updated_at";
pub const STAFF_GET: &str =
    "SELECT username, role, bureau, business, password_hash, disabled FROM staff WHERE username = $1";
pub const ADMIN_EXISTS: &str = "SELECT 1 AS one FROM staff WHERE role = 'admin' AND NOT disabled LIMIT 1";
pub const SESSION_CREATE: &str =
    "INSERT INTO staff_sessions (id_hash, username, created, last_seen) VALUES ($1, $2, $3, $4)";
pub const SESSION_GET: &str = "SELECT username, created, last_seen FROM staff_sessions WHERE id_hash = $1";
pub const SESSION_TOUCH: &str = "UPDATE staff_sessions SET last_seen = $1 WHERE id_hash = $2";
pub const SESSION_DELETE: &str = "DELETE FROM staff_sessions WHERE id_hash = $1";
pub const SESSIONS_END: &str = "DELETE FROM staff_sessions WHERE username = $1";
pub const AUDIT: &str = "INSERT INTO audit_log (at, actor, action, subject, client) VALUES ($1, $2, $3, $4, $5)";
pub const AUDIT_PAGE: &str =
    "SELECT id, at, actor, action, subject, client FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2";

/// Implements [`app::ports::StaffStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! staff_store {
    ($store:ty) => {
        impl $store {
            /// Runs `sql` (an insert or an upsert of an account) with the account's columns; returns
            /// the rows written.
            async fn write_account(
                &self,
                sql: &'static str,
                a: &app::ports::StaffAccount,
            ) -> Result<u64, app::error::AppError> {
                use crate::store::sql::common::db_err;
                let done = sqlx::query(sql)
                    .bind(a.staff.username.as_str())
                    .bind(a.staff.role.code())
                    .bind(a.staff.bureau.as_deref())
                    .bind(&a.password_hash)
                    .bind(a.disabled)
                    .bind(crate::store::sql::staff::now_ms())
                    .bind(a.staff.business.as_deref())
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(done.rows_affected())
            }
        }

        #[async_trait::async_trait]
        impl app::ports::StaffStore for $store {
            async fn staff_create(&self, a: &app::ports::StaffAccount) -> Result<bool, app::error::AppError> {
                Ok(self.write_account(crate::store::sql::staff::STAFF_INSERT, a).await? == 1)
            }

            async fn staff_set(&self, a: &app::ports::StaffAccount) -> Result<(), app::error::AppError> {
                self.write_account(crate::store::sql::staff::STAFF_SET, a).await.map(|_| ())
            }

            async fn staff_get(
                &self,
                username: &str,
            ) -> Result<Option<app::ports::StaffAccount>, app::error::AppError> {
                use crate::store::sql::common::{code, db_err};
                use crate::store::sql::staff::*;
                use sqlx::Row;
                let Some(r) = sqlx::query(STAFF_GET).bind(username).fetch_optional(&self.pool).await.map_err(db_err)?
                else {
                    return Ok(None);
                };
                let name: String = r.try_get("username").map_err(db_err)?;
                let role: String = r.try_get("role").map_err(db_err)?;
                let role = code("role", &role, app::domain::workflow::Role::from_code)?;
                let username = app::domain::staff::Username::parse(&name)
                    .map_err(|_| app::error::AppError::internal("stored user name", &name))?;
                let business: Option<String> = r.try_get("business").map_err(db_err)?;
                let staff = match business.as_deref().map(app::domain::credit_code::CreditCode::parse) {
                    Some(Ok(code)) if role == app::domain::workflow::Role::Business => {
                        app::domain::staff::Staff::for_business(username, &code)
                    }
                    Some(_) => return Err(app::error::AppError::internal("stored business account", &name)),
                    None => app::domain::staff::Staff::new(username, role, r.try_get("bureau").map_err(db_err)?)
                        .map_err(|_| app::error::AppError::internal("stored staff role", &name))?,
                };
                Ok(Some(app::ports::StaffAccount {
                    staff,
                    password_hash: r.try_get("password_hash").map_err(db_err)?,
                    disabled: r.try_get("disabled").map_err(db_err)?,
                }))
            }

            async fn admin_exists(&self) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::staff::*;
                Ok(sqlx::query(ADMIN_EXISTS).fetch_optional(&self.pool).await.map_err(db_err)?.is_some())
            }

            async fn session_create(
                &self,
                id_hash: &str,
                username: &str,
                now: i64,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::staff::*;
                sqlx::query(SESSION_CREATE)
                    .bind(id_hash)
                    .bind(username)
                    .bind(now)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            async fn session_get(
                &self,
                id_hash: &str,
            ) -> Result<Option<app::ports::SessionRecord>, app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::staff::*;
                use sqlx::Row;
                let row = sqlx::query(SESSION_GET).bind(id_hash).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.map(|r| {
                    Ok(app::ports::SessionRecord {
                        username: r.try_get("username").map_err(db_err)?,
                        created: r.try_get("created").map_err(db_err)?,
                        last_seen: r.try_get("last_seen").map_err(db_err)?,
                    })
                })
                .transpose()
            }

            async fn session_touch(&self, id_hash: &str, now: i64) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::staff::*;
                sqlx::query(SESSION_TOUCH).bind(now).bind(id_hash).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }

            async fn session_delete(&self, id_hash: &str) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::staff::*;
                sqlx::query(SESSION_DELETE).bind(id_hash).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }

            async fn sessions_end(&self, username: &str) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::staff::*;
                sqlx::query(SESSIONS_END).bind(username).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }

            async fn audit(&self, e: &app::ports::AuditEntry) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::staff::*;
                sqlx::query(AUDIT)
                    .bind(e.at)
                    .bind(e.actor.as_deref())
                    .bind(&e.action)
                    .bind(e.subject.as_deref())
                    .bind(e.client.as_deref())
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            async fn audit_page(
                &self,
                before: Option<i64>,
                limit: i64,
            ) -> Result<(Vec<(i64, app::ports::AuditEntry)>, Option<i64>), app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::staff::*;
                use sqlx::Row;
                // One row more than asked tells whether there is a next page.
                let rows = sqlx::query(AUDIT_PAGE)
                    .bind(before.unwrap_or(i64::MAX))
                    .bind(limit + 1)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                let mut out = Vec::new();
                for r in rows.iter().take(limit as usize) {
                    let entry = app::ports::AuditEntry {
                        at: r.try_get("at").map_err(db_err)?,
                        actor: r.try_get("actor").map_err(db_err)?,
                        action: r.try_get("action").map_err(db_err)?,
                        subject: r.try_get("subject").map_err(db_err)?,
                        client: r.try_get("client").map_err(db_err)?,
                    };
                    out.push((r.try_get::<i64, _>("id").map_err(db_err)?, entry));
                }
                let next = if rows.len() as i64 > limit { out.last().map(|(id, _)| *id) } else { None };
                Ok((out, next))
            }
        }
    };
}

pub(crate) use staff_store;

pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}
