//! The SQL of site-wide settings and the health check, written once for both backends.

pub const META_GET: &str = "SELECT value FROM site_meta WHERE key = $1";

pub const META_INIT: &str = "INSERT INTO site_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";

pub const META_SET: &str =
    "INSERT INTO site_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/// Implements [`app::ports::MetaStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! meta_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl app::ports::MetaStore for $store {
            async fn ping(&self) -> Result<(), app::error::AppError> {
                sqlx::query("SELECT 1").execute(&self.pool).await.map_err(crate::store::sql::common::db_err)?;
                Ok(())
            }

            async fn meta_get(&self, key: &str) -> Result<Option<String>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::meta::*;
                use sqlx::Row;
                let row = sqlx::query(META_GET).bind(key).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.map(|r| r.try_get::<String, _>(0).map_err(db_err)).transpose()
            }

            async fn meta_init(&self, key: &str, value: &str) -> Result<String, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::meta::*;
                sqlx::query(META_INIT).bind(key).bind(value).execute(&self.pool).await.map_err(db_err)?;
                self.meta_get(key).await?.ok_or_else(|| app::error::AppError::internal("meta", "value vanished"))
            }

            async fn meta_set(&self, key: &str, value: &str) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::meta::*;
                sqlx::query(META_SET).bind(key).bind(value).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }
        }
    };
}

pub(crate) use meta_store;
