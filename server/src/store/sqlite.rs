//! SQLite adapter: WAL journal, every commit synced to the disk, foreign keys on, a busy timeout so that writers queue instead of
//! failing, memory-mapped reads, and a check that the bundled SQLite has the 3.51.3 WAL-reset fix.

use super::error::ConnectError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

pub const MIN_SQLITE: &str = "3.51.3";

pub struct SqliteStore {
    pub pool: SqlitePool,
}

fn version_tuple(v: &str) -> Vec<u32> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

impl SqliteStore {
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Every commit reaches the disk before it is acknowledged: with NORMAL, a power loss
            // could undo the last filings (and hand their case numbers out again).
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // Reads through a memory map (256 MB) and a 16 MB page cache per connection, instead of
            // a read system call per page: pages such as tracking read a handful of rows at random.
            .pragma("mmap_size", "268435456")
            .pragma("cache_size", "-16384");
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        let found: String = sqlx::query("SELECT sqlite_version()").fetch_one(&pool).await?.get(0);
        if version_tuple(&found) < version_tuple(MIN_SQLITE) {
            return Err(ConnectError::OldSqlite { found, needed: MIN_SQLITE });
        }
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }
}

super::sql::stores!(SqliteStore, sqlx::Sqlite);

#[cfg(test)]
mod tests {
    #[test]
    fn versions_compare_numerically() {
        assert!(super::version_tuple("3.51.10") > super::version_tuple("3.51.3"));
        assert!(super::version_tuple("3.47.2") < super::version_tuple("3.51.3"));
    }
}
