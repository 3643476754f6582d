//! The SQL of the staff work queue and its counts, written once for both backends.

use app::domain::calendar::format_date;

/// Cases per state within a bureau (or all), from the counts the database keeps.
pub const QUEUE_COUNTS: &str =
    "SELECT state, CAST(SUM(n) AS BIGINT) AS n FROM queue_counts WHERE ($1 IS NULL OR bureau = $2) \
     GROUP BY state";

/// Cases per deadline filter: one range scan of the urgency index up to the last day counted.
pub const DUE_COUNTS_ALL: &str = "SELECT COUNT(*) FILTER (WHERE due_on <= $1) AS overdue, \
     COUNT(*) FILTER (WHERE due_on >= $2 AND due_on <= $3) AS today, \
     COUNT(*) FILTER (WHERE due_on >= $4 AND due_on <= $5) AS soon FROM cases WHERE due_on <= $6";

pub const DUE_COUNTS_BUREAU: &str = "SELECT COUNT(*) FILTER (WHERE due_on <= $1) AS overdue, \
     COUNT(*) FILTER (WHERE due_on >= $2 AND due_on <= $3) AS today, \
     COUNT(*) FILTER (WHERE due_on >= $4 AND due_on <= $5) AS soon FROM cases WHERE bureau = $6 AND due_on <= $7";

/// A value bound to the queue's statement.
pub enum Arg {
    Text(String),
    Int(i64),
}

/// The queue's statement for `filter` and its arguments, in order. Only the conditions chosen are
/// written, so each query can use the index that fits (`(bureau, due_on, id)`, `(due_on, id)`,
/// `(bureau, id)`); every value is a bound parameter.
pub fn queue_sql(filter: &app::ports::QueueFilter, limit: i64) -> (String, Vec<Arg>) {
    use app::domain::queue::{Cursor, QueueSort, StateFilter, FINISHED_KEY};
    let q = &filter.query;
    let mut sql = String::from(
        "SELECT id, case_no, kind, channel, state, bureau, category, received_on, due_on FROM cases WHERE 1 = 1",
    );
    let mut args = Vec::new();
    let mut cond = |sql: &mut String, text: &str, arg: Arg| {
        args.push(arg);
        sql.push_str(&text.replace('?', &format!("${}", args.len())));
    };
    if let Some(b) = &filter.scope {
        cond(&mut sql, " AND bureau = ?", Arg::Text(b.clone()));
    }
    match filter.business.as_deref() {
        Some("") => sql.push_str(" AND odr_business IS NOT NULL"),
        Some(code) => cond(&mut sql, " AND odr_business = ?", Arg::Text(code.to_owned())),
        None => {}
    }
    if let Some(b) = &q.bureau {
        cond(&mut sql, " AND bureau = ?", Arg::Text(b.clone()));
    }
    match q.state {
        StateFilter::Open => cond(&mut sql, " AND due_on < ?", Arg::Text(FINISHED_KEY.into())),
        StateFilter::All => {}
        StateFilter::One(s) => cond(&mut sql, " AND state = ?", Arg::Text(s.code().into())),
    }
    if let Some(k) = q.kind {
        cond(&mut sql, " AND kind = ?", Arg::Text(k.code().into()));
    }
    if let Some(c) = &q.category {
        cond(&mut sql, " AND category = ?", Arg::Text(c.clone()));
    }
    if let Some(c) = q.channel {
        cond(&mut sql, " AND channel = ?", Arg::Text(c.code().into()));
    }
    if let Some(d) = q.from {
        cond(&mut sql, " AND received_on >= ?", Arg::Text(format_date(d)));
    }
    if let Some(d) = q.to {
        cond(&mut sql, " AND received_on <= ?", Arg::Text(format_date(d)));
    }
    if let Some((lo, hi)) = &filter.due_range {
        cond(&mut sql, " AND due_on >= ?", Arg::Text(lo.clone()));
        cond(&mut sql, " AND due_on <= ?", Arg::Text(hi.clone()));
    }
    match (&q.after, q.sort) {
        (Some(Cursor::Urgency { key, id }), QueueSort::Urgency) => {
            // Row-value comparison: both databases turn it into one index range.
            cond(&mut sql, " AND (due_on, id) > (?", Arg::Text(key.clone()));
            cond(&mut sql, ", ?)", Arg::Int(*id));
        }
        (Some(Cursor::Newest { id }), QueueSort::Newest) => cond(&mut sql, " AND id < ?", Arg::Int(*id)),
        _ => {}
    }
    sql.push_str(match q.sort {
        QueueSort::Urgency => " ORDER BY due_on, id",
        QueueSort::Newest => " ORDER BY id DESC",
    });
    // One row more than asked tells whether there is a next page.
    cond(&mut sql, " LIMIT ?", Arg::Int(limit + 1));
    (sql, args)
}

pub const DUE_BETWEEN: &str =
    "SELECT case_no, version, due_on FROM cases WHERE due_on >= $1 AND due_on <= $2 ORDER BY id";

pub const SET_DUE: &str = "UPDATE cases SET due_on = $1 WHERE case_no = $2 AND version = $3";

/// Implements [`app::ports::QueueStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! queue_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl app::ports::QueueStore for $store {
            async fn queue(
                &self,
                filter: &app::ports::QueueFilter,
                limit: i64,
            ) -> Result<(Vec<app::ports::QueueRow>, Option<app::domain::queue::Cursor>), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::queue::*;
                use sqlx::Row;
                let (sql, args) = queue_sql(filter, limit);
                // The text is built only from fixed fragments; every value is bound.
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for arg in args {
                    query = match arg {
                        Arg::Text(t) => query.bind(t),
                        Arg::Int(i) => query.bind(i),
                    };
                }
                let rows = query.fetch_all(&self.pool).await.map_err(db_err)?;
                let more = rows.len() as i64 > limit;
                let mut out = Vec::new();
                for r in rows.iter().take(limit as usize) {
                    let text = |c: &str| r.try_get::<String, _>(c).map_err(db_err);
                    let due = text("due_on")?;
                    out.push(app::ports::QueueRow {
                        id: r.try_get("id").map_err(db_err)?,
                        case_no: code("case number", &text("case_no")?, |s| app::domain::case::CaseNo::parse(s).ok())?,
                        kind: code("kind", &text("kind")?, app::domain::kind::ItemKind::from_code)?,
                        channel: code("channel", &text("channel")?, app::domain::kind::Channel::from_code)?,
                        state: code("state", &text("state")?, app::domain::workflow::CaseState::from_code)?,
                        bureau: text("bureau")?,
                        category: text("category")?,
                        received_on: date(&text("received_on")?)?,
                        urgency: code("due_on", &due, app::domain::queue::Urgency::from_key)?,
                    });
                }
                let next = match (more, out.last()) {
                    (true, Some(last)) => Some(match filter.query.sort {
                        app::domain::queue::QueueSort::Urgency => {
                            app::domain::queue::Cursor::Urgency { key: last.urgency.key(), id: last.id }
                        }
                        app::domain::queue::QueueSort::Newest => app::domain::queue::Cursor::Newest { id: last.id },
                    }),
                    _ => None,
                };
                Ok((out, next))
            }

            async fn queue_counts(
                &self,
                bureau: Option<&str>,
                ranges: [(String, String); 3],
            ) -> Result<app::ports::QueueCounts, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::queue::*;
                use sqlx::Row;
                let rows =
                    sqlx::query(QUEUE_COUNTS).bind(bureau).bind(bureau).fetch_all(&self.pool).await.map_err(db_err)?;
                let mut by_state = Vec::new();
                for r in rows {
                    let state: String = r.try_get("state").map_err(db_err)?;
                    let n: i64 = r.try_get("n").map_err(db_err)?;
                    if n > 0 {
                        by_state.push((code("state", &state, app::domain::workflow::CaseState::from_code)?, n));
                    }
                }
                let [(_, overdue_hi), (today_lo, today_hi), (soon_lo, soon_hi)] = ranges;
                let query = match bureau {
                    None => sqlx::query(DUE_COUNTS_ALL),
                    Some(_) => sqlx::query(DUE_COUNTS_BUREAU),
                };
                let mut query =
                    query.bind(overdue_hi).bind(today_lo).bind(today_hi).bind(soon_lo).bind(soon_hi.clone());
                if let Some(b) = bureau {
                    query = query.bind(b.to_owned());
                }
                let r = query.bind(soon_hi).fetch_one(&self.pool).await.map_err(db_err)?;
                Ok(app::ports::QueueCounts {
                    by_state,
                    overdue: r.try_get("overdue").map_err(db_err)?,
                    today: r.try_get("today").map_err(db_err)?,
                    soon: r.try_get("soon").map_err(db_err)?,
                })
            }

            async fn due_between(
                &self,
                from: &str,
                to: &str,
            ) -> Result<Vec<(app::domain::case::CaseNo, i64, String)>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::queue::*;
                use sqlx::Row;
                let rows = sqlx::query(DUE_BETWEEN).bind(from).bind(to).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        let no: String = r.try_get("case_no").map_err(db_err)?;
                        let no = code("case_no", &no, |s| app::domain::case::CaseNo::parse(s).ok())?;
                        Ok((no, r.try_get("version").map_err(db_err)?, r.try_get("due_on").map_err(db_err)?))
                    })
                    .collect()
            }

            async fn set_due(
                &self,
                no: &app::domain::case::CaseNo,
                version: i64,
                key: &str,
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::queue::*;
                let done = sqlx::query(SET_DUE)
                    .bind(key)
                    .bind(no.to_string())
                    .bind(version)
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use queue_store;
