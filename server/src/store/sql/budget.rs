//! The SQL of budgets (how often one client or one phone may do something per window), written
//! once for both backends.

/// Spends one unit of `$1`'s budget at `$2` (ms): a window that began at or before `$3` has
/// ended, so the count starts again. One statement, so parallel requests cannot both pass.
pub const BUDGET_SPEND: &str = "INSERT INTO budgets (key, window_start, used) VALUES ($1, $2, 1) \
     ON CONFLICT (key) DO UPDATE SET \
     used = CASE WHEN budgets.window_start <= $3 THEN 1 ELSE budgets.used + 1 END, \
     window_start = CASE WHEN budgets.window_start <= $3 THEN $2 ELSE budgets.window_start END \
     RETURNING used, window_start";

pub const BUDGET_PURGE: &str = "DELETE FROM budgets WHERE window_start < $1";

/// Implements [`app::ports::BudgetStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! budget_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl app::ports::BudgetStore for $store {
            async fn budget_spend(&self, key: &str, now: i64, window: i64) -> Result<(i64, i64), app::error::AppError> {
                use crate::store::sql::budget::*;
                use crate::store::sql::common::*;
                use sqlx::Row;
                let row = sqlx::query(BUDGET_SPEND)
                    .bind(key)
                    .bind(now)
                    .bind(now - window)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok((row.try_get(0).map_err(db_err)?, row.try_get(1).map_err(db_err)?))
            }

            async fn budget_purge(&self, before: i64) -> Result<u64, app::error::AppError> {
                use crate::store::sql::budget::*;
                use crate::store::sql::common::*;
                let done = sqlx::query(BUDGET_PURGE).bind(before).execute(&self.pool).await.map_err(db_err)?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use budget_store;
