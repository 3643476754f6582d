//! The SQL of the counters of failed look-ups and sign-ins, written once for both backends.

pub const THROTTLE_GET: &str = "SELECT failures, window_start, locked_until FROM lookup_throttle WHERE key = $1";

/// The insert and the update take the new counter and the key as their first four parameters.
pub const THROTTLE_INSERT: &str = "INSERT INTO lookup_throttle (failures, window_start, locked_until, key) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING";

pub const THROTTLE_UPDATE: &str = "UPDATE lookup_throttle SET failures = $1, window_start = $2, locked_until = $3 \
     WHERE key = $4 AND failures = $5 AND window_start = $6 AND locked_until = $7";

pub const THROTTLE_CLEAR: &str = "DELETE FROM lookup_throttle WHERE key = $1";

/// Implements [`app::ports::ThrottleStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! throttle_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl app::ports::ThrottleStore for $store {
            async fn throttle_get(&self, key: &str) -> Result<app::domain::tracking::Counter, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::throttle::*;
                use sqlx::Row;
                let row = sqlx::query(THROTTLE_GET).bind(key).fetch_optional(&self.pool).await.map_err(db_err)?;
                let Some(r) = row else { return Ok(Default::default()) };
                Ok(app::domain::tracking::Counter {
                    failures: r.try_get::<i64, _>(0).map_err(db_err)? as u32,
                    window_start: r.try_get(1).map_err(db_err)?,
                    locked_until: r.try_get(2).map_err(db_err)?,
                })
            }

            async fn throttle_swap(
                &self,
                key: &str,
                old: app::domain::tracking::Counter,
                new: app::domain::tracking::Counter,
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::throttle::*;
                let with_new = |sql| {
                    sqlx::query(sql).bind(new.failures as i64).bind(new.window_start).bind(new.locked_until).bind(key)
                };
                if old == app::domain::tracking::Counter::default() {
                    let inserted = with_new(THROTTLE_INSERT).execute(&self.pool).await.map_err(db_err)?;
                    if inserted.rows_affected() == 1 {
                        return Ok(true);
                    }
                }
                let updated = with_new(THROTTLE_UPDATE)
                    .bind(old.failures as i64)
                    .bind(old.window_start)
                    .bind(old.locked_until)
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(updated.rows_affected() == 1)
            }

            async fn throttle_clear(&self, key: &str) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::throttle::*;
                sqlx::query(THROTTLE_CLEAR).bind(key).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }
        }
    };
}

pub(crate) use throttle_store;
