//! The SQL of one-time codes by text message (a consumer proving the mobile number on a case),
//! written once for both backends.

pub const PUT: &str = "INSERT INTO phone_codes (key, code_hash, expires_at, tries) VALUES ($1, $2, $3, 0) \
     ON CONFLICT (key) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, tries = 0";

/// One statement: parallel tries cannot spend the same try twice.
pub const TRY: &str = "UPDATE phone_codes SET tries = tries + 1 \
     WHERE key = $1 AND expires_at > $2 AND tries < $3 RETURNING code_hash";

pub const DELETE: &str = "DELETE FROM phone_codes WHERE key = $1";

pub const PURGE: &str = "DELETE FROM phone_codes WHERE expires_at < $1";

/// Implements [`app::ports::PhoneCodeStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! phone_code_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl app::ports::PhoneCodeStore for $store {
            async fn put_phone_code(
                &self,
                key: &str,
                code_hash: &str,
                expires_at: i64,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::phone_codes::*;
                let q = sqlx::query(PUT).bind(key).bind(code_hash).bind(expires_at);
                q.execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }

            async fn try_phone_code(
                &self,
                key: &str,
                now: i64,
                max_tries: u32,
            ) -> Result<Option<String>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::phone_codes::*;
                use sqlx::Row;
                let q = sqlx::query(TRY).bind(key).bind(now).bind(i32::try_from(max_tries).unwrap_or(i32::MAX));
                let row = q.fetch_optional(&self.pool).await.map_err(db_err)?;
                row.map(|r| r.try_get(0).map_err(db_err)).transpose()
            }

            async fn delete_phone_code(&self, key: &str) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::phone_codes::*;
                sqlx::query(DELETE).bind(key).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }

            async fn purge_phone_codes(&self, before: i64) -> Result<u64, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::phone_codes::*;
                let done = sqlx::query(PURGE).bind(before).execute(&self.pool).await.map_err(db_err)?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use phone_code_store;
