//! The SQL of the businesses' public record (running totals, names, disclosed complaints),
//! written once for both backends.

// Each of the three is written as one statement of many rows (`QueryBuilder`: the columns, the
// rows, then the conflict clause): a batch of the bulk import names thousands of businesses,
// and a statement each cost a round trip to the database's worker thread.

pub const RECORD_INTO: &str = "INSERT INTO business_agg (key, month, category, received, decided, accepted, decided_in_time, concluded, settled, recovered_fen, closed, rated, satisfied, odr_concluded, odr_settled, solved, partly) ";

pub const RECORD_CONFLICT: &str = " ON CONFLICT (key, month, category) DO UPDATE SET received = business_agg.received + excluded.received, decided = business_agg.decided + excluded.decided, accepted = business_agg.accepted + excluded.accepted, decided_in_time = business_agg.decided_in_time + excluded.decided_in_time, concluded = business_agg.concluded + excluded.concluded, settled = business_agg.settled + excluded.settled, recovered_fen = business_agg.recovered_fen + excluded.recovered_fen, closed = business_agg.closed + excluded.closed, rated = business_agg.rated + excluded.rated, satisfied = business_agg.satisfied + excluded.satisfied, odr_concluded = business_agg.odr_concluded + excluded.odr_concluded, odr_settled = business_agg.odr_settled + excluded.odr_settled, solved = business_agg.solved + excluded.solved, partly = business_agg.partly + excluded.partly";

pub const DAYS_INTO: &str = "INSERT INTO business_days (key, month, days, n) ";

pub const DAYS_CONFLICT: &str = " ON CONFLICT (key, month, days) DO UPDATE SET n = business_days.n + excluded.n";

pub const NAME_INTO: &str = "INSERT INTO business_names (key, name, norm, credit_code, county) ";

pub const NAME_CONFLICT: &str = " ON CONFLICT (key) DO NOTHING";

/// Rows in one statement (17 parameters a row of the totals: well under SQLite's 32,766).
pub const ROWS_PER_STATEMENT: usize = 500;

/// `$1` the first month counted; `$2` the normalised name's `LIKE` pattern, `$3` a key, `$4` a
/// county and `$5` a category ('' for any); `$6` the limit.
pub const FIND: &str = "SELECT n.key, COALESCE(b.name, n.name) AS name, n.credit_code, n.county, \
     CAST(SUM(a.received) AS BIGINT) AS complaints FROM business_names n \
     JOIN business_agg a ON a.key = n.key AND a.month >= $1 \
     LEFT JOIN businesses b ON b.credit_code = n.credit_code \
     WHERE (n.norm LIKE $2 OR n.key = $3) AND ($4 = '' OR n.county = $4) AND ($5 = '' OR a.category = $5) \
     GROUP BY n.key, n.name, b.name, n.credit_code, n.county HAVING SUM(a.received) > 0 \
     ORDER BY complaints DESC, n.key LIMIT $6";

/// The most complained of since `$1`, at most `$2`: the month's totals first (by the index
/// `business_agg_month`), the names of the few kept only; not every business's name.
pub const TOP: &str = "SELECT t.key, COALESCE(b.name, n.name) AS name, n.credit_code, n.county, t.complaints FROM \
     (SELECT key, CAST(SUM(received) AS BIGINT) AS complaints FROM business_agg WHERE month >= $1 \
      GROUP BY key HAVING SUM(received) > 0 ORDER BY complaints DESC, key LIMIT $2) t \
     JOIN business_names n ON n.key = t.key LEFT JOIN businesses b ON b.credit_code = n.credit_code \
     ORDER BY t.complaints DESC, t.key";

pub const GET: &str = "SELECT n.key, COALESCE(b.name, n.name) AS name, n.credit_code, n.county, \
     CAST(COALESCE((SELECT SUM(a.received) FROM business_agg a WHERE a.key = n.key AND a.month >= $2), 0) AS BIGINT) AS complaints \
     FROM business_names n LEFT JOIN businesses b ON b.credit_code = n.credit_code WHERE n.key = $1";

pub const HOT: &str = "SELECT n.county, a.category, CAST(SUM(a.received) AS BIGINT) AS complaints \
     FROM business_agg a JOIN business_names n ON n.key = a.key WHERE a.month >= $1 \
     GROUP BY n.county, a.category";

pub const ROWS: &str = "SELECT month, category, received, decided, accepted, decided_in_time, concluded, settled, recovered_fen, closed, rated, satisfied, odr_concluded, odr_settled, solved, partly FROM business_agg WHERE key = $1 AND month >= $2";

pub const DAYS: &str = "SELECT month, days, n FROM business_days WHERE key = $1 AND month >= $2";

/// The columns of a disclosed complaint as shown: a correction in place of the account.
macro_rules! item_columns {
    () => {
        "d.case_id, d.business_key, d.business_name, d.credit_code, d.county, d.category, d.complainant, \
         d.complained, d.arose, d.handled, COALESCE(d.corrected_issue, d.issue) AS issue, d.demand, d.request, \
         d.handling, d.recovered_fen, d.disclosed_at, d.corrected_on"
    };
}

/// The disclosed complaints that `filter` keeps, below the id `before` if given, newest first
/// (by case, or by disclosure for a feed), at most `limit`. Hidden items and those of cases
/// reopened are left out. Only the filters given are written, so that each database reads the
/// index of the one present (`business_key = $1 OR $1 = ''` kept SQLite on the whole table: over
/// 2 s at 2,000,000 items). `CROSS JOIN`: SQLite then reads the disclosures first, newest first,
/// and stops at the limit; with `JOIN … ON c.state = 'closed'` it started from the state's index,
/// every closed case (1.9 s against 8 ms at 72,000 disclosures). PostgreSQL plans it as the same
/// inner join.
pub fn disclosed_query<DB>(
    filter: &app::ports::DisclosedFilter,
    before: Option<i64>,
    by_disclosure: bool,
    limit: i64,
) -> sqlx::QueryBuilder<DB>
where
    DB: sqlx::Database,
    for<'t> &'t str: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    let mut q = sqlx::QueryBuilder::new(concat!(
        "SELECT ",
        item_columns!(),
        " FROM disclosures d CROSS JOIN cases c WHERE c.id = d.case_id AND c.state = 'closed' AND d.hidden = 0"
    ));
    let filters = [
        (" AND d.business_key = ", &filter.business_key),
        (" AND d.county = ", &filter.county),
        (" AND d.category = ", &filter.category),
        (" AND d.handled >= ", &filter.from),
        (" AND d.handled <= ", &filter.to),
    ];
    for (sql, value) in filters {
        if let Some(v) = value {
            q.push(sql).push_bind(v.as_str());
        }
    }
    if let Some(before) = before {
        q.push(" AND d.case_id < ").push_bind(before);
    }
    q.push(match by_disclosure {
        true => " ORDER BY d.disclosed_at DESC, d.case_id DESC LIMIT ",
        false => " ORDER BY d.case_id DESC LIMIT ",
    });
    q.push_bind(limit);
    q
}

/// One item by its case's id, hidden or not, with whether it is.
pub const ITEM: &str = concat!("SELECT ", item_columns!(), ", d.hidden FROM disclosures d WHERE d.case_id = $1");

pub const PENDING: &str = "SELECT c.id, c.case_no, c.updated_at, c.kind, c.state, c.version, d.case_version \
     FROM cases c LEFT JOIN disclosures d ON d.case_id = c.id \
     WHERE (c.updated_at > $1 OR (c.updated_at = $1 AND c.id > $2)) AND c.updated_at <= $3 \
     ORDER BY c.updated_at, c.id LIMIT $4";

/// A sweep's batch, one statement of many rows (each case once).
pub const DISCLOSE_INTO: &str = "INSERT INTO disclosures (case_id, business_key, business_name, credit_code, county, \
     category, complainant, complained, arose, handled, issue, demand, request, handling, recovered_fen, \
     case_version, disclosed_at) ";

pub const DISCLOSE_CONFLICT: &str = " ON CONFLICT (case_id) DO UPDATE SET business_key = excluded.business_key, \
     business_name = excluded.business_name, credit_code = excluded.credit_code, county = excluded.county, \
     category = excluded.category, complainant = excluded.complainant, complained = excluded.complained, \
     arose = excluded.arose, handled = excluded.handled, issue = excluded.issue, demand = excluded.demand, \
     request = excluded.request, handling = excluded.handling, recovered_fen = excluded.recovered_fen, \
     case_version = excluded.case_version WHERE disclosures.case_version < excluded.case_version";

/// Implements [`app::ports::DisclosureStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`),
/// and the writing of the records' totals that `write_stats` calls in a step's transaction.
macro_rules! disclosure_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Adds what steps contribute to the businesses' records, in the caller's transaction.
            pub(crate) async fn write_records(
                conn: &mut <$db as sqlx::Database>::Connection,
                deltas: &[app::domain::stats::StatDelta],
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                let (rows, days, named) = app::domain::disclosure::merge_business(deltas);
                // Every key of `rows` and `days` is there once (merged), so no statement
                // updates a row twice.
                for chunk in named.chunks(ROWS_PER_STATEMENT) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(NAME_INTO);
                    q.push_values(chunk, |mut b, n| {
                        b.push_bind(n.key.clone())
                            .push_bind(n.name.clone())
                            .push_bind(app::domain::disclosure::normalise_name(&n.name))
                            .push_bind(n.credit_code.clone())
                            .push_bind(n.county.clone());
                    });
                    q.push(NAME_CONFLICT);
                    q.build().execute(&mut *conn).await.map_err(db_err)?;
                }
                for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(RECORD_INTO);
                    q.push_values(chunk, |mut b, r| {
                        b.push_bind(r.key.clone()).push_bind(r.month.clone()).push_bind(r.category.clone());
                        for v in r.m.values() {
                            b.push_bind(v);
                        }
                    });
                    q.push(RECORD_CONFLICT);
                    q.build().execute(&mut *conn).await.map_err(db_err)?;
                }
                for chunk in days.chunks(ROWS_PER_STATEMENT) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(DAYS_INTO);
                    q.push_values(chunk, |mut b, (key, month, d, n)| {
                        b.push_bind(key.clone()).push_bind(month.clone()).push_bind(*d).push_bind(*n);
                    });
                    q.push(DAYS_CONFLICT);
                    q.build().execute(&mut *conn).await.map_err(db_err)?;
                }
                Ok(())
            }

            fn disclosed_of(
                r: &<$db as sqlx::Database>::Row,
            ) -> Result<app::ports::DisclosedItem, app::error::AppError> {
                use crate::store::sql::common::*;
                use sqlx::Row;
                let handling: String = r.try_get("handling").map_err(db_err)?;
                Ok(app::ports::DisclosedItem {
                    id: r.try_get("case_id").map_err(db_err)?,
                    disclosed_at: r.try_get("disclosed_at").map_err(db_err)?,
                    item: app::domain::disclosure::Disclosed {
                        business_key: r.try_get("business_key").map_err(db_err)?,
                        business_name: r.try_get("business_name").map_err(db_err)?,
                        credit_code: r.try_get("credit_code").map_err(db_err)?,
                        county: r.try_get("county").map_err(db_err)?,
                        category: r.try_get("category").map_err(db_err)?,
                        complainant: r.try_get("complainant").map_err(db_err)?,
                        complained: r.try_get("complained").map_err(db_err)?,
                        arose: r.try_get("arose").map_err(db_err)?,
                        handled: r.try_get("handled").map_err(db_err)?,
                        issue: r.try_get("issue").map_err(db_err)?,
                        demand: r.try_get("demand").map_err(db_err)?,
                        request: r.try_get("request").map_err(db_err)?,
                        handling: code("handling", &handling, app::domain::disclosure::Handling::from_code)?,
                        recovered_fen: r.try_get("recovered_fen").map_err(db_err)?,
                    },
                    corrected_on: r.try_get("corrected_on").map_err(db_err)?,
                })
            }

            fn recorded_of(
                r: &<$db as sqlx::Database>::Row,
            ) -> Result<app::ports::RecordedBusiness, app::error::AppError> {
                use crate::store::sql::common::*;
                use sqlx::Row;
                Ok(app::ports::RecordedBusiness {
                    key: r.try_get("key").map_err(db_err)?,
                    name: r.try_get("name").map_err(db_err)?,
                    credit_code: r.try_get("credit_code").map_err(db_err)?,
                    county: r.try_get("county").map_err(db_err)?,
                    complaints: r.try_get("complaints").map_err(db_err)?,
                })
            }
        }

        #[async_trait::async_trait]
        impl app::ports::DisclosureStore for $store {
            async fn record_find(
                &self,
                norm: &str,
                key: &str,
                county: Option<&str>,
                category: Option<&str>,
                from_month: &str,
                limit: i64,
            ) -> Result<Vec<app::ports::RecordedBusiness>, app::error::AppError> {
                use crate::store::sql::businesses::contains;
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                let rows = sqlx::query(FIND)
                    .bind(from_month)
                    .bind(contains(norm))
                    .bind(key)
                    .bind(county.unwrap_or(""))
                    .bind(category.unwrap_or(""))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.iter().map(Self::recorded_of).collect()
            }

            async fn record_top(
                &self,
                from_month: &str,
                limit: i64,
            ) -> Result<Vec<app::ports::RecordedBusiness>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                let rows = sqlx::query(TOP).bind(from_month).bind(limit).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter().map(Self::recorded_of).collect()
            }

            async fn record_hot(&self, from_month: &str) -> Result<Vec<(String, String, i64)>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                use sqlx::Row;
                let rows = sqlx::query(HOT).bind(from_month).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            r.try_get("county").map_err(db_err)?,
                            r.try_get("category").map_err(db_err)?,
                            r.try_get("complaints").map_err(db_err)?,
                        ))
                    })
                    .collect()
            }

            async fn record_get(
                &self,
                key: &str,
                from_month: &str,
            ) -> Result<Option<app::ports::RecordedBusiness>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                let row =
                    sqlx::query(GET).bind(key).bind(from_month).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.as_ref().map(Self::recorded_of).transpose()
            }

            async fn record_rows(
                &self,
                key: &str,
                from_month: &str,
            ) -> Result<(Vec<app::domain::disclosure::BusinessMonth>, Vec<(String, i64, i64)>), app::error::AppError>
            {
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                use sqlx::Row;
                let rows = sqlx::query(ROWS).bind(key).bind(from_month).fetch_all(&self.pool).await.map_err(db_err)?;
                let months = rows
                    .into_iter()
                    .map(|r| {
                        Ok(app::domain::disclosure::BusinessMonth {
                            month: r.try_get("month").map_err(db_err)?,
                            category: r.try_get("category").map_err(db_err)?,
                            m: Self::measures_of(&r)?,
                        })
                    })
                    .collect::<Result<Vec<_>, app::error::AppError>>()?;
                let rows = sqlx::query(DAYS).bind(key).bind(from_month).fetch_all(&self.pool).await.map_err(db_err)?;
                let days = rows
                    .into_iter()
                    .map(|r| {
                        Ok((
                            r.try_get("month").map_err(db_err)?,
                            r.try_get("days").map_err(db_err)?,
                            r.try_get("n").map_err(db_err)?,
                        ))
                    })
                    .collect::<Result<Vec<_>, app::error::AppError>>()?;
                Ok((months, days))
            }

            async fn disclosed(
                &self,
                filter: &app::ports::DisclosedFilter,
                before: Option<i64>,
                limit: i64,
            ) -> Result<Vec<app::ports::DisclosedItem>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                let rows = disclosed_query::<$db>(filter, before, false, limit)
                    .build()
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.iter().map(Self::disclosed_of).collect()
            }

            async fn disclosed_recent(
                &self,
                business_key: Option<&str>,
                county: Option<&str>,
                limit: i64,
            ) -> Result<Vec<app::ports::DisclosedItem>, app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                let filter = app::ports::DisclosedFilter {
                    business_key: business_key.map(str::to_owned),
                    county: county.map(str::to_owned),
                    ..Default::default()
                };
                let rows = disclosed_query::<$db>(&filter, None, true, limit)
                    .build()
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.iter().map(Self::disclosed_of).collect()
            }

            async fn disclosure_pending(
                &self,
                after: (i64, i64),
                until: i64,
                limit: i64,
            ) -> Result<(Vec<app::ports::PendingDisclosure>, Option<(i64, i64)>), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                use sqlx::Row;
                let rows = sqlx::query(PENDING)
                    .bind(after.0)
                    .bind(after.1)
                    .bind(until)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                let mut reached = None;
                let mut pending = Vec::new();
                for r in rows {
                    let id: i64 = r.try_get("id").map_err(db_err)?;
                    let at: i64 = r.try_get("updated_at").map_err(db_err)?;
                    reached = Some((at, id));
                    let kind: String = r.try_get("kind").map_err(db_err)?;
                    let state: String = r.try_get("state").map_err(db_err)?;
                    let version: i64 = r.try_get("version").map_err(db_err)?;
                    let written: Option<i64> = r.try_get("case_version").map_err(db_err)?;
                    if kind == "complaint" && state == "closed" && written.is_none_or(|w| w < version) {
                        let no: String = r.try_get("case_no").map_err(db_err)?;
                        pending.push(app::ports::PendingDisclosure {
                            case_id: id,
                            case_no: code("case number", &no, |s| app::domain::case::CaseNo::parse(s).ok())?,
                            updated_at: at,
                        });
                    }
                }
                Ok((pending, reached))
            }

            async fn disclose(
                &self,
                items: &[(i64, app::domain::disclosure::Disclosed, i64)],
                now: i64,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::common::*;
                use crate::store::sql::disclosure::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                for chunk in items.chunks(ROWS_PER_STATEMENT) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(DISCLOSE_INTO);
                    q.push_values(chunk, |mut b, (case_id, d, version)| {
                        b.push_bind(*case_id)
                            .push_bind(d.business_key.clone())
                            .push_bind(d.business_name.clone())
                            .push_bind(d.credit_code.clone())
                            .push_bind(d.county.clone())
                            .push_bind(d.category.clone())
                            .push_bind(d.complainant.clone())
                            .push_bind(d.complained.clone())
                            .push_bind(d.arose.clone())
                            .push_bind(d.handled.clone())
                            .push_bind(d.issue.clone())
                            .push_bind(d.demand.clone())
                            .push_bind(d.request.clone())
                            .push_bind(d.handling.code())
                            .push_bind(d.recovered_fen)
                            .push_bind(*version)
                            .push_bind(now);
                    });
                    q.push(DISCLOSE_CONFLICT);
                    q.build().execute(&mut *tx).await.map_err(db_err)?;
                }
                tx.commit().await.map_err(db_err)?;
                Ok(())
            }
        }
    };
}

pub(crate) use disclosure_store;
