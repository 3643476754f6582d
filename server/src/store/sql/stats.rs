//! The SQL of the public statistics' running totals and the feed of steps for the big screen, written once for both backends.

pub const STATS_ADD: &str = "INSERT INTO stats_agg (month, dim, key, kind, received, decided, accepted, \
     decided_in_time, concluded, settled, recovered_fen, closed, rated, satisfied, odr_concluded, odr_settled, \
     solved, partly) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
     ON CONFLICT (month, dim, key, kind) DO UPDATE SET received = stats_agg.received + excluded.received, \
     decided = stats_agg.decided + excluded.decided, accepted = stats_agg.accepted + excluded.accepted, \
     decided_in_time = stats_agg.decided_in_time + excluded.decided_in_time, \
     concluded = stats_agg.concluded + excluded.concluded, settled = stats_agg.settled + excluded.settled, \
     recovered_fen = stats_agg.recovered_fen + excluded.recovered_fen, closed = stats_agg.closed + excluded.closed, \
     rated = stats_agg.rated + excluded.rated, satisfied = stats_agg.satisfied + excluded.satisfied, \
     odr_concluded = stats_agg.odr_concluded + excluded.odr_concluded, \
     odr_settled = stats_agg.odr_settled + excluded.odr_settled, \
     solved = stats_agg.solved + excluded.solved, partly = stats_agg.partly + excluded.partly";

pub const STATS_DAYS_ADD: &str = "INSERT INTO stats_days (month, kind, span, days, n) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (month, kind, span, days) DO UPDATE SET n = stats_days.n + excluded.n";

pub const STATS_ROWS: &str = "SELECT month, dim, key, kind, received, decided, accepted, decided_in_time, concluded, \
     settled, recovered_fen, closed, rated, satisfied, odr_concluded, odr_settled, solved, partly \
     FROM stats_agg WHERE month >= $1 AND month <= $2";

pub const STATS_DAYS: &str = "SELECT month, kind, span, days, n FROM stats_days WHERE month >= $1 AND month <= $2";

pub const FEED_AFTER: &str = "SELECT e.id, e.at, e.action, e.to_state, c.case_no, c.kind, c.category, b.county \
     FROM case_events e JOIN cases c ON c.id = e.case_id \
     LEFT JOIN parties b ON b.case_id = c.id AND b.role = 'business' WHERE e.id > $1 ORDER BY e.id LIMIT $2";

pub const FEED_RECENT: &str = "SELECT e.id, e.at, e.action, e.to_state, c.case_no, c.kind, c.category, b.county \
     FROM case_events e JOIN cases c ON c.id = e.case_id \
     LEFT JOIN parties b ON b.case_id = c.id AND b.role = 'business' ORDER BY e.at DESC, e.id DESC LIMIT $1";

pub const LAST_EVENT_ID: &str = "SELECT COALESCE(MAX(id), 0) AS n FROM case_events";

pub const RECEIVED_SINCE: &str = "SELECT COUNT(*) AS n FROM cases WHERE received_at >= $1";

/// Implements [`app::ports::StatsStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! stats_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The running totals of a row of `stats_agg` or `business_agg` (their columns are
            /// [`Measures::COLUMNS`](app::domain::stats::Measures::COLUMNS)).
            pub(crate) fn measures_of(
                r: &<$db as sqlx::Database>::Row,
            ) -> Result<app::domain::stats::Measures, app::error::AppError> {
                use crate::store::sql::common::*;
                use app::domain::stats::Measures;
                use sqlx::Row;
                let mut v = [0i64; Measures::COLUMNS.len()];
                for (i, col) in Measures::COLUMNS.iter().enumerate() {
                    v[i] = r.try_get(*col).map_err(db_err)?;
                }
                Ok(Measures::from_values(v))
            }

            /// Adds what steps contribute to the statistics, merged to one write per row, in
            /// the caller's transaction.
            pub(crate) async fn write_stats(
                conn: &mut <$db as sqlx::Database>::Connection,
                deltas: &[app::domain::stats::StatDelta],
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::stats::*;
                if deltas.is_empty() {
                    return Ok(());
                }
                Self::write_records(&mut *conn, deltas).await?;
                let (rows, days) = app::domain::stats::merge(deltas);
                for r in rows {
                    let mut q = sqlx::query(STATS_ADD).bind(r.month).bind(r.dim.code()).bind(r.key).bind(r.kind.code());
                    for v in r.m.values() {
                        q = q.bind(v);
                    }
                    q.execute(&mut *conn).await.map_err(db_err)?;
                }
                for d in days {
                    sqlx::query(STATS_DAYS_ADD)
                        .bind(d.month)
                        .bind(d.kind.code())
                        .bind(d.span.code())
                        .bind(d.days)
                        .bind(d.n)
                        .execute(&mut *conn)
                        .await
                        .map_err(db_err)?;
                }
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl app::ports::StatsStore for $store {
            async fn feed(
                &self,
                after: Option<i64>,
                limit: i64,
            ) -> Result<Vec<app::ports::FeedItem>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::stats::*;
                use sqlx::Row;
                let rows = match after {
                    Some(a) => sqlx::query(FEED_AFTER).bind(a).bind(limit).fetch_all(&self.pool).await,
                    None => sqlx::query(FEED_RECENT).bind(limit).fetch_all(&self.pool).await,
                }
                .map_err(db_err)?;
                let mut out = rows
                    .into_iter()
                    .map(|r| {
                        let action: String = r.try_get("action").map_err(db_err)?;
                        let to: String = r.try_get("to_state").map_err(db_err)?;
                        let kind: String = r.try_get("kind").map_err(db_err)?;
                        let no: String = r.try_get("case_no").map_err(db_err)?;
                        Ok(app::ports::FeedItem {
                            id: r.try_get("id").map_err(db_err)?,
                            at: r.try_get("at").map_err(db_err)?,
                            case_no: code("case number", &no, |s| app::domain::case::CaseNo::parse(s).ok())?,
                            kind: code("kind", &kind, app::domain::kind::ItemKind::from_code)?,
                            category: r.try_get("category").map_err(db_err)?,
                            county: r.try_get("county").map_err(db_err)?,
                            action: code("action", &action, app::domain::workflow::ActionName::from_code)?,
                            to_state: code("state", &to, app::domain::workflow::CaseState::from_code)?,
                        })
                    })
                    .collect::<Result<Vec<_>, app::error::AppError>>()?;
                if after.is_none() {
                    out.reverse();
                }
                Ok(out)
            }

            async fn last_event_id(&self) -> Result<i64, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::stats::*;
                use sqlx::Row;
                let r = sqlx::query(LAST_EVENT_ID).fetch_one(&self.pool).await.map_err(db_err)?;
                r.try_get("n").map_err(db_err)
            }

            async fn received_since(&self, at: i64) -> Result<i64, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::stats::*;
                use sqlx::Row;
                let r = sqlx::query(RECEIVED_SINCE).bind(at).fetch_one(&self.pool).await.map_err(db_err)?;
                r.try_get("n").map_err(db_err)
            }

            async fn stats_rows(
                &self,
                from: &str,
                to: &str,
            ) -> Result<(Vec<app::domain::stats::AggRow>, Vec<app::domain::stats::DaysRow>), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::stats::*;
                use app::domain::stats::*;
                use sqlx::Row;
                let rows = sqlx::query(STATS_ROWS).bind(from).bind(to).fetch_all(&self.pool).await.map_err(db_err)?;
                let agg = rows
                    .into_iter()
                    .map(|r| {
                        let dim: String = r.try_get("dim").map_err(db_err)?;
                        let kind: String = r.try_get("kind").map_err(db_err)?;
                        Ok(AggRow {
                            month: r.try_get("month").map_err(db_err)?,
                            dim: code("statistics dimension", &dim, Dim::from_code)?,
                            key: r.try_get("key").map_err(db_err)?,
                            kind: code("kind", &kind, app::domain::kind::ItemKind::from_code)?,
                            m: Self::measures_of(&r)?,
                        })
                    })
                    .collect::<Result<Vec<_>, app::error::AppError>>()?;
                let rows = sqlx::query(STATS_DAYS).bind(from).bind(to).fetch_all(&self.pool).await.map_err(db_err)?;
                let days = rows
                    .into_iter()
                    .map(|r| {
                        let kind: String = r.try_get("kind").map_err(db_err)?;
                        let span: String = r.try_get("span").map_err(db_err)?;
                        Ok(DaysRow {
                            month: r.try_get("month").map_err(db_err)?,
                            kind: code("kind", &kind, app::domain::kind::ItemKind::from_code)?,
                            span: code("span", &span, Span::from_code)?,
                            days: r.try_get("days").map_err(db_err)?,
                            n: r.try_get("n").map_err(db_err)?,
                        })
                    })
                    .collect::<Result<Vec<_>, app::error::AppError>>()?;
                Ok((agg, days))
            }
        }
    };
}

pub(crate) use stats_store;
