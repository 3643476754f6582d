//! The database adapters behind [`app::ports::CaseStore`] and [`app::ports::StaffStore`]: SQLite (the embedded default) and
//! PostgreSQL, chosen by the URL's scheme. Both apply their migrations on connect.

pub mod blobs;
mod error;
mod pg_copy;
pub mod postgres;
pub(crate) mod sql;
pub mod sqlite;
mod sqlite_import;

use app::ports::Store;
pub use error::ConnectError;
use std::sync::Arc;

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
