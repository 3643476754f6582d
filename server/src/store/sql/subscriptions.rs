//! The SQL of the e-mail subscriptions to alerts, written once for both backends.

macro_rules! columns {
    () => {
        "SELECT id, email, target, lang, created_at, confirmed_at, sent_at, seen_at FROM subscriptions"
    };
}

pub const ADD: &str = "INSERT INTO subscriptions (email, target, lang, created_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (email, target) DO NOTHING RETURNING id";

pub const BY_ADDRESS: &str = concat!(columns!(), " WHERE email = $1 AND target = $2");

pub const BY_ID: &str = concat!(columns!(), " WHERE id = $1");

pub const CONFIRM: &str =
    "UPDATE subscriptions SET confirmed_at = $1, seen_at = $1 WHERE id = $2 AND confirmed_at IS NULL";

pub const DELETE: &str = "DELETE FROM subscriptions WHERE id = $1";

/// The alerts of one subscription (`$1`, the `LIKE` pattern of its id in the parameters) not
/// sent yet.
pub const DELETE_UNSENT: &str =
    "DELETE FROM outbox WHERE kind IN ('alert_confirm', 'alert_digest') AND state <> 'sent' AND params LIKE $1";

pub const DUE: &str = concat!(
    columns!(),
    " WHERE confirmed_at IS NOT NULL AND (sent_at IS NULL OR sent_at <= $1) AND id > $2 ORDER BY id LIMIT $3"
);

/// Only if no other server sent the digest first (`$4`: the last digest read, -1 for none).
pub const SENT: &str =
    "UPDATE subscriptions SET sent_at = $1, seen_at = $2 WHERE id = $3 AND COALESCE(sent_at, -1) = $4";

pub const EXPIRE: &str = "DELETE FROM subscriptions WHERE confirmed_at IS NULL AND created_at < $1";

/// The pattern that finds a subscription's alerts by the parameter naming it.
pub fn param_pattern(id: i64) -> String {
    format!("%[\"subscription\",\"{id}\"]%")
}

/// Implements [`app::ports::SubscriptionStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! subscription_store {
    ($store:ty, $db:ty) => {
        impl $store {
            fn subscription_of(
                r: &<$db as sqlx::Database>::Row,
            ) -> Result<app::ports::Subscription, app::error::AppError> {
                use crate::store::sql::common::*;
                use sqlx::Row;
                Ok(app::ports::Subscription {
                    id: r.try_get("id").map_err(db_err)?,
                    email: r.try_get("email").map_err(db_err)?,
                    target: r.try_get("target").map_err(db_err)?,
                    lang: r.try_get("lang").map_err(db_err)?,
                    created_at: r.try_get("created_at").map_err(db_err)?,
                    confirmed_at: r.try_get("confirmed_at").map_err(db_err)?,
                    sent_at: r.try_get("sent_at").map_err(db_err)?,
                    seen_at: r.try_get("seen_at").map_err(db_err)?,
                })
            }
        }

        #[async_trait::async_trait]
        impl app::ports::SubscriptionStore for $store {
            async fn subscription_add(
                &self,
                email: &str,
                target: &str,
                lang: &str,
                now: i64,
            ) -> Result<(app::ports::Subscription, bool), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::subscriptions::*;
                let added = sqlx::query(ADD)
                    .bind(email)
                    .bind(target)
                    .bind(lang)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_err)?
                    .is_some();
                let row =
                    sqlx::query(BY_ADDRESS).bind(email).bind(target).fetch_one(&self.pool).await.map_err(db_err)?;
                Ok((Self::subscription_of(&row)?, added))
            }

            async fn subscription_get(
                &self,
                id: i64,
            ) -> Result<Option<app::ports::Subscription>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::subscriptions::*;
                let row = sqlx::query(BY_ID).bind(id).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.as_ref().map(Self::subscription_of).transpose()
            }

            async fn subscription_confirm(&self, id: i64, now: i64) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::subscriptions::*;
                let done = sqlx::query(CONFIRM).bind(now).bind(id).execute(&self.pool).await.map_err(db_err)?;
                Ok(done.rows_affected() > 0)
            }

            async fn subscription_delete(&self, id: i64) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::subscriptions::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let done = sqlx::query(DELETE).bind(id).execute(&mut *tx).await.map_err(db_err)?;
                sqlx::query(DELETE_UNSENT).bind(param_pattern(id)).execute(&mut *tx).await.map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
                Ok(done.rows_affected() > 0)
            }

            async fn subscriptions_due(
                &self,
                sent_before: i64,
                after_id: i64,
                limit: i64,
            ) -> Result<Vec<app::ports::Subscription>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::subscriptions::*;
                let rows = sqlx::query(DUE)
                    .bind(sent_before)
                    .bind(after_id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.iter().map(Self::subscription_of).collect()
            }

            async fn subscription_digest(
                &self,
                s: &app::ports::Subscription,
                params: &[(String, String)],
                seen_at: i64,
                now: i64,
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::outbox::{message_id, params_json, INSERT_LOOSE};
                use crate::store::sql::subscriptions::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let claimed = sqlx::query(SENT)
                    .bind(now)
                    .bind(seen_at)
                    .bind(s.id)
                    .bind(s.sent_at.unwrap_or(-1))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                if claimed.rows_affected() == 0 {
                    return Ok(false);
                }
                sqlx::query(INSERT_LOOSE)
                    .bind(app::domain::notify::NoticeKind::AlertDigest.code())
                    .bind(app::domain::notify::NoticeChannel::Email.code())
                    .bind(&s.email)
                    .bind(&s.lang)
                    .bind(params_json(params))
                    .bind(now)
                    .bind(message_id())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
                Ok(true)
            }

            async fn subscriptions_expire(&self, created_before: i64) -> Result<u64, app::error::AppError> {
                use crate::store::sql::common::*;
                let done = sqlx::query(crate::store::sql::subscriptions::EXPIRE)
                    .bind(created_before)
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use subscription_store;
