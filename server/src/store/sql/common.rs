//! What every store module shares: turning database errors and stored text into domain values.

use app::domain::calendar::{format_date, parse_date};
use app::error::AppError;

pub fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal("stored value", format!("{what}: {value:?}"))
}

pub fn db_err(e: sqlx::Error) -> AppError {
    AppError::internal("database", e)
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
