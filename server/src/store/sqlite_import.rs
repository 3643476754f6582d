//! The bulk import on SQLite: the rows of a batch of cases (`store::sql::import`) written with
//! multi-row `INSERT`s, a few hundred rows a statement, instead of one statement per row (each a
//! trip to SQLite's worker thread). Triggers fire as for any insert.

use super::sql::common::db_err;
use super::sql::import::*;
use super::sqlite::SqliteStore;
use app::domain::case::CaseNo;
use app::error::AppError;
use app::ports::ImportCase;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use std::collections::HashMap;

/// Rows per statement: SQLite takes at most 32,766 parameters; cases have 22 columns.
const ROWS: usize = 500;

/// Runs `INSERT INTO {table} ({columns}) VALUES …` for `rows`, `ROWS` at a time, each bound by `bind`.
async fn insert_all<T>(
    conn: &mut SqliteConnection,
    table_columns: &str,
    rows: &[T],
    bind: impl Fn(sqlx::query_builder::Separated<'_, Sqlite, &'static str>, &T) + Copy,
) -> Result<(), AppError> {
    for chunk in rows.chunks(ROWS) {
        let mut q = QueryBuilder::<Sqlite>::new(format!("INSERT INTO {table_columns} "));
        q.push_values(chunk, |b, row| bind(b, row));
        q.build().execute(&mut *conn).await.map_err(db_err)?;
    }
    Ok(())
}

impl SqliteStore {
    /// Stores many cases with their histories, ratings and statistics in one transaction.
    pub(crate) async fn import_cases(&self, cases: &[ImportCase]) -> Result<Vec<CaseNo>, AppError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let mut first = HashMap::new();
        for (year, n) in per_year(cases) {
            let last: i64 = sqlx::query(RESERVE_NUMBERS)
                .bind(year as i64)
                .bind(n)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?
                .get(0);
            first.insert(year, last - n + 1);
        }
        let numbers = number(cases, first);
        // The cases, and their ids by case number (RETURNING's order is not promised).
        let values: Vec<CaseValues> = cases.iter().zip(&numbers).map(|(ic, no)| case_values(ic, no)).collect();
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(cases.len());
        for chunk in values.chunks(ROWS) {
            let mut q = QueryBuilder::<Sqlite>::new(format!("INSERT INTO cases ({CASE_COLUMNS}) "));
            q.push_values(chunk, |mut b, v| {
                b.push_bind(v.case_no).push_bind(v.kind).push_bind(v.channel).push_bind(v.state);
                b.push_bind(v.rule_set).push_bind(v.bureau).push_bind(v.clock_paused).push_bind(v.category);
                b.push_bind(v.received_at).push_bind(&v.received_on).push_bind(v.incident_on.as_deref());
                b.push_bind(v.amount_paid_fen).push_bind(v.amount_recovered_fen).push_bind(v.order_no);
                b.push_bind(v.demand).push_bind(v.demand_text).push_bind(v.facts).push_bind(v.consent_publish);
                b.push_bind(v.query_hash).push_bind(v.version).push_bind(v.updated_at).push_bind(&v.due_on);
                b.push_bind(v.odr_business).push_bind(v.odr_offer_fen);
            });
            q.push(" RETURNING id, case_no");
            for r in q.build().fetch_all(&mut *tx).await.map_err(db_err)? {
                ids.insert(r.try_get("case_no").map_err(db_err)?, r.try_get("id").map_err(db_err)?);
            }
        }
        let id_of = |no: &CaseNo| {
            ids.get(no.as_str())
                .copied()
                .ok_or_else(|| AppError::internal("import", format!("no id for {}", no.as_str())))
        };
        let (mut parties, mut reps, mut events, mut ratings) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (ic, no) in cases.iter().zip(&numbers) {
            let id = id_of(no)?;
            parties.extend(parties_of(&ic.new.case).into_iter().map(|p| (id, p)));
            reps.extend(representation_of(&ic.new.case).map(|r| (id, r)));
            events.extend(events_of(ic).into_iter().map(|e| (id, e)));
            ratings.extend(rating_of(ic, no));
        }
        insert_all(&mut tx, &format!("parties ({PARTY_COLUMNS})"), &parties, |mut b, (id, p)| {
            b.push_bind(*id).push_bind(p.role).push_bind(p.name).push_bind(p.phone).push_bind(p.address);
            b.push_bind(p.credit_code).push_bind(p.county).push_bind(p.platform).push_bind(p.shop);
        })
        .await?;
        insert_all(&mut tx, &format!("case_representation ({REPRESENTATION_COLUMNS})"), &reps, |mut b, (id, r)| {
            b.push_bind(*id).push_bind(r.kind).push_bind(r.name).push_bind(r.phone).push_bind(r.consumers);
        })
        .await?;
        insert_all(&mut tx, &format!("case_events ({EVENT_COLUMNS})"), &events, |mut b, (id, e)| {
            b.push_bind(*id).push_bind(e.seq).push_bind(e.at).push_bind(e.actor_role).push_bind(e.actor_id);
            b.push_bind(e.action).push_bind(e.from_state).push_bind(e.to_state).push_bind(e.ground);
            b.push_bind(e.note).push_bind(e.detail);
        })
        .await?;
        insert_all(&mut tx, &format!("ratings ({RATING_COLUMNS})"), &ratings, |mut b, r| {
            b.push_bind(r.case_no).push_bind(r.process).push_bind(r.outcome).push_bind(r.comment);
            b.push_bind(r.at).push_bind(r.at);
        })
        .await?;
        Self::write_stats(&mut tx, &stats_of(cases)).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(numbers)
    }
}
