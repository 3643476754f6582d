//! The SQL of staff members' second factor (TOTP secrets, recovery codes, sign-ins awaiting a
//! code), written once for both backends.

pub const TOTP_SECRET: &str = "SELECT secret FROM staff_totp WHERE username = $1";
pub const TOTP_SET: &str = "INSERT INTO staff_totp (username, secret, last_step) VALUES ($1, $2, $3) \
     ON CONFLICT (username) DO UPDATE SET secret = excluded.secret, last_step = excluded.last_step";
/// A step is used once: the update happens only for a later step than the last one used.
pub const TOTP_USE_STEP: &str = "UPDATE staff_totp SET last_step = $2 WHERE username = $1 AND last_step < $2";
pub const TOTP_DELETE: &str = "DELETE FROM staff_totp WHERE username = $1";
pub const RECOVERY_DELETE_ALL: &str = "DELETE FROM staff_recovery_codes WHERE username = $1";
pub const RECOVERY_INSERT: &str = "INSERT INTO staff_recovery_codes (username, code_hash) VALUES ($1, $2)";
pub const RECOVERY_USE: &str = "DELETE FROM staff_recovery_codes WHERE username = $1 AND code_hash = $2";
pub const RECOVERY_LEFT: &str = "SELECT COUNT(*) FROM staff_recovery_codes WHERE username = $1";
pub const CHALLENGE_PURGE: &str = "DELETE FROM staff_challenges WHERE created < $1";
pub const CHALLENGE_CREATE: &str =
    "INSERT INTO staff_challenges (id_hash, username, created, pending_secret) VALUES ($1, $2, $3, $4)";
pub const CHALLENGE_GET: &str = "SELECT username, created, pending_secret FROM staff_challenges WHERE id_hash = $1";
pub const CHALLENGE_DELETE: &str = "DELETE FROM staff_challenges WHERE id_hash = $1";

/// Implements [`app::ports::SecondFactorStore`] for `$store` (a struct with a
/// `pool: sqlx::Pool<$db>`).
macro_rules! second_factor_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl app::ports::SecondFactorStore for $store {
            async fn totp_secret(&self, username: &str) -> Result<Option<String>, app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::second_factor::*;
                sqlx::query_scalar(TOTP_SECRET).bind(username).fetch_optional(&self.pool).await.map_err(db_err)
            }

            async fn totp_enrol(
                &self,
                username: &str,
                secret: &str,
                step: i64,
                recovery: &[String],
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::second_factor::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                sqlx::query(TOTP_SET).bind(username).bind(secret).bind(step).execute(&mut *tx).await.map_err(db_err)?;
                sqlx::query(RECOVERY_DELETE_ALL).bind(username).execute(&mut *tx).await.map_err(db_err)?;
                for hash in recovery {
                    sqlx::query(RECOVERY_INSERT).bind(username).bind(hash).execute(&mut *tx).await.map_err(db_err)?;
                }
                tx.commit().await.map_err(db_err)
            }

            async fn totp_use_step(&self, username: &str, step: i64) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::second_factor::*;
                let done =
                    sqlx::query(TOTP_USE_STEP).bind(username).bind(step).execute(&self.pool).await.map_err(db_err)?;
                Ok(done.rows_affected() == 1)
            }

            async fn recovery_use(&self, username: &str, code_hash: &str) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::second_factor::*;
                let done = sqlx::query(RECOVERY_USE)
                    .bind(username)
                    .bind(code_hash)
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(done.rows_affected() == 1)
            }

            async fn recovery_left(&self, username: &str) -> Result<i64, app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::second_factor::*;
                sqlx::query_scalar(RECOVERY_LEFT).bind(username).fetch_one(&self.pool).await.map_err(db_err)
            }

            async fn totp_reset(&self, username: &str) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::second_factor::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let had = sqlx::query(TOTP_DELETE).bind(username).execute(&mut *tx).await.map_err(db_err)?;
                sqlx::query(RECOVERY_DELETE_ALL).bind(username).execute(&mut *tx).await.map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
                Ok(had.rows_affected() == 1)
            }

            async fn challenge_create(
                &self,
                id_hash: &str,
                r: &app::ports::ChallengeRecord,
                before: i64,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::second_factor::*;
                sqlx::query(CHALLENGE_PURGE).bind(before).execute(&self.pool).await.map_err(db_err)?;
                sqlx::query(CHALLENGE_CREATE)
                    .bind(id_hash)
                    .bind(&r.username)
                    .bind(r.created)
                    .bind(r.pending_secret.as_deref())
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            async fn challenge_get(
                &self,
                id_hash: &str,
            ) -> Result<Option<app::ports::ChallengeRecord>, app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::second_factor::*;
                use sqlx::Row;
                let row = sqlx::query(CHALLENGE_GET).bind(id_hash).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.map(|r| {
                    Ok(app::ports::ChallengeRecord {
                        username: r.try_get("username").map_err(db_err)?,
                        created: r.try_get("created").map_err(db_err)?,
                        pending_secret: r.try_get("pending_secret").map_err(db_err)?,
                    })
                })
                .transpose()
            }

            async fn challenge_delete(&self, id_hash: &str) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::db_err;
                use crate::store::sql::second_factor::*;
                sqlx::query(CHALLENGE_DELETE).bind(id_hash).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }
        }
    };
}

pub(crate) use second_factor_store;
