//! Why a database could not be opened.

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
