//! What every store module shares: turning database errors and stored text into domain values.

use app::domain::calendar::{format_date, parse_date};
use app::error::AppError;

pub fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal("stored value", format!("{what}: {value:?}"))
}

/// A database error as the portal's: one that says the database is not there for a moment (its
/// connection cut, a server shutting down or starting, a primary that became a standby, the pool
/// without a connection in time, as in a failover) is [`AppError::Busy`], worth trying again;
/// anything else is internal.
pub fn db_err(e: sqlx::Error) -> AppError {
    if unavailable(&e) {
        tracing::warn!(error = %e, "database unavailable for now");
        return AppError::Busy;
    }
    AppError::internal("database", e)
}

fn unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception); 57P01–57P03 (shut down by an administrator
        // or a crash, cannot connect now); 25006 (a read-only transaction: a demoted primary).
        sqlx::Error::Database(d) => {
            d.code().is_some_and(|c| c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03" | "25006"))
        }
        _ => false,
    }
}

pub fn code<T>(what: &str, value: &str, from: impl Fn(&str) -> Option<T>) -> Result<T, AppError> {
    from(value).ok_or_else(|| corrupt(what, value))
}

pub fn date(value: &str) -> Result<time::Date, AppError> {
    parse_date(value).ok_or_else(|| corrupt("date", value))
}

pub fn opt_date(d: Option<time::Date>) -> Option<String> {
    d.map(format_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_away_for_a_moment_is_busy_and_anything_else_internal() {
        let cut = || std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        assert_eq!(db_err(sqlx::Error::Io(cut())), AppError::Busy);
        assert_eq!(db_err(sqlx::Error::PoolTimedOut), AppError::Busy);
        assert_eq!(db_err(sqlx::Error::PoolClosed), AppError::Busy);
        assert_eq!(db_err(sqlx::Error::RowNotFound), AppError::Internal);
        assert_eq!(db_err(sqlx::Error::Protocol("bad message".into())), AppError::Internal);
    }
}
