//! The database adapters behind [`app::ports::CaseStore`] and [`app::ports::StaffStore`]: SQLite (the embedded default) and
//! PostgreSQL, chosen by the URL's scheme. Both apply their migrations on connect.

pub mod blobs;
pub mod postgres;
pub(crate) mod sql;
pub mod sqlite;
pub(crate) mod staff_sql;

use app::ports::Store;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL (use sqlite://… or postgres://…)")]
    Scheme,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("SQLite {found} is too old: {needed} or later is required (WAL-reset fix)")]
    OldSqlite { found: String, needed: &'static str },
}

/// Connects to `url`, migrates, and returns the store.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, ConnectError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else {
        Err(ConnectError::Scheme)
    }
}
