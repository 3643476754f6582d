//! The bulk import on PostgreSQL: the rows of a batch of cases streamed with `COPY … FROM STDIN`
//! (text format), one statement per table instead of one round trip per row. The rows are the ones
//! the shared import writes on SQLite (`store::sql::import`); the statistics go through the same
//! merged writes as every step. Triggers fire as for any insert (the queue's counts, the event
//! log's append-only guard).

use super::postgres::PgStore;
use super::sql::common::db_err;
use super::sql::import::*;
use app::domain::case::CaseNo;
use app::error::AppError;
use app::ports::ImportCase;
use sqlx::Row;
use std::collections::HashMap;

const CASE_IDS: &str = "SELECT id, case_no FROM cases WHERE case_no = ANY($1)";

/// Rows in COPY's text format: fields separated by tabs, `\N` for NULL, backslash escapes.
pub struct CopyRows {
    buf: String,
    at_start: bool,
}

impl CopyRows {
    fn sep(&mut self) {
        if !self.at_start {
            self.buf.push('\t');
        }
        self.at_start = false;
    }

    pub fn text(&mut self, v: Option<&str>) -> &mut Self {
        self.sep();
        match v {
            None => self.buf.push_str("\\N"),
            Some(s) => {
                for c in s.chars() {
                    match c {
                        '\\' => self.buf.push_str("\\\\"),
                        '\t' => self.buf.push_str("\\t"),
                        '\n' => self.buf.push_str("\\n"),
                        '\r' => self.buf.push_str("\\r"),
                        c => self.buf.push(c),
                    }
                }
            }
        }
        self
    }

    pub fn int(&mut self, v: Option<i64>) -> &mut Self {
        self.sep();
        match v {
            None => self.buf.push_str("\\N"),
            Some(n) => self.buf.push_str(&n.to_string()),
        }
        self
    }

    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.sep();
        self.buf.push(if v { 't' } else { 'f' });
        self
    }

    /// Ends the row.
    pub fn end(&mut self) {
        self.buf.push('\n');
        self.at_start = true;
    }

    pub fn new() -> Self {
        Self { buf: String::new(), at_start: true }
    }
}

/// Sends `rows` to `statement` (a `COPY … FROM STDIN`), unless there are none.
async fn copy(conn: &mut sqlx::PgConnection, statement: &str, rows: &CopyRows) -> Result<(), AppError> {
    if rows.buf.is_empty() {
        return Ok(());
    }
    let mut sink = conn.copy_in_raw(statement).await.map_err(db_err)?;
    sink.send(rows.buf.as_bytes()).await.map_err(db_err)?;
    sink.finish().await.map_err(db_err)?;
    Ok(())
}

/// Numbers the cases in order, each in the sequence of its year of receipt (one statement per year).
async fn numbers(conn: &mut sqlx::PgConnection, cases: &[ImportCase]) -> Result<Vec<CaseNo>, AppError> {
    let mut first = HashMap::new();
    for (year, n) in per_year(cases) {
        let last: i64 =
            sqlx::query(RESERVE_NUMBERS).bind(year as i64).bind(n).fetch_one(&mut *conn).await.map_err(db_err)?.get(0);
        first.insert(year, last - n + 1);
    }
    Ok(number(cases, first))
}

fn case_rows(cases: &[ImportCase], numbers: &[CaseNo]) -> CopyRows {
    let mut rows = CopyRows::new();
    for (ic, no) in cases.iter().zip(numbers) {
        let v = case_values(ic, no);
        rows.text(Some(v.case_no)).text(Some(v.kind)).text(Some(v.channel)).text(Some(v.state));
        rows.text(Some(v.rule_set)).text(Some(v.bureau)).bool(v.clock_paused).text(Some(v.category));
        rows.int(Some(v.received_at)).text(Some(&v.received_on)).text(v.incident_on.as_deref());
        rows.int(v.amount_paid_fen).int(v.amount_recovered_fen).text(v.order_no).text(v.demand);
        rows.text(v.demand_text).text(Some(v.facts)).bool(v.consent_publish).text(Some(v.query_hash));
        rows.int(Some(v.version)).int(Some(v.updated_at)).text(Some(&v.due_on));
        rows.text(v.odr_business).int(v.odr_offer_fen).end();
    }
    rows
}

/// The parties, representations and events of the cases (ids in the same order), and their ratings.
fn history_rows(cases: &[ImportCase], ids: &[i64], numbers: &[CaseNo]) -> [CopyRows; 4] {
    let [mut parties, mut reps, mut events, mut ratings] = std::array::from_fn(|_| CopyRows::new());
    for ((ic, id), no) in cases.iter().zip(ids).zip(numbers) {
        let id = Some(*id);
        for p in parties_of(&ic.new.case) {
            parties.int(id).text(Some(p.role)).text(Some(p.name)).text(p.phone).text(Some(p.address));
            parties.text(p.credit_code).text(p.county).text(p.platform).text(p.shop).end();
        }
        if let Some(r) = representation_of(&ic.new.case) {
            reps.int(id).text(Some(r.kind)).text(r.name).text(r.phone).int(r.consumers.map(i64::from)).end();
        }
        for e in events_of(ic) {
            events.int(id).int(Some(e.seq)).int(Some(e.at)).text(Some(e.actor_role)).text(e.actor_id);
            events.text(Some(e.action)).text(e.from_state).text(Some(e.to_state)).int(e.ground);
            events.text(e.note).text(e.detail).end();
        }
        if let Some(r) = rating_of(ic, no) {
            ratings.text(Some(r.case_no)).int(Some(r.process)).text(Some(r.outcome)).text(r.comment);
            ratings.int(Some(r.at)).int(Some(r.at)).end();
        }
    }
    [parties, reps, events, ratings]
}

impl PgStore {
    /// Stores many cases with their histories, ratings and statistics in one transaction.
    pub(crate) async fn import_cases(&self, cases: &[ImportCase]) -> Result<Vec<CaseNo>, AppError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let numbers = numbers(&mut tx, cases).await?;
        copy(&mut tx, &format!("COPY cases ({CASE_COLUMNS}) FROM STDIN"), &case_rows(cases, &numbers)).await?;
        let wanted: Vec<&str> = numbers.iter().map(|n| n.as_str()).collect();
        let found = sqlx::query(CASE_IDS).bind(&wanted).fetch_all(&mut *tx).await.map_err(db_err)?;
        let mut by_no: HashMap<String, i64> = HashMap::with_capacity(found.len());
        for r in found {
            by_no.insert(r.try_get("case_no").map_err(db_err)?, r.try_get("id").map_err(db_err)?);
        }
        let ids = wanted
            .iter()
            .map(|n| by_no.get(*n).copied().ok_or_else(|| AppError::internal("import", format!("no id for {n}"))))
            .collect::<Result<Vec<i64>, AppError>>()?;
        let [parties, reps, events, ratings] = history_rows(cases, &ids, &numbers);
        copy(&mut tx, &format!("COPY parties ({PARTY_COLUMNS}) FROM STDIN"), &parties).await?;
        copy(&mut tx, &format!("COPY case_representation ({REPRESENTATION_COLUMNS}) FROM STDIN"), &reps).await?;
        copy(&mut tx, &format!("COPY case_events ({EVENT_COLUMNS}) FROM STDIN"), &events).await?;
        copy(&mut tx, &format!("COPY ratings ({RATING_COLUMNS}) FROM STDIN"), &ratings).await?;
        Self::write_stats(&mut tx, &stats_of(cases)).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(numbers)
    }
}

#[cfg(test)]
mod tests {
    use super::CopyRows;

    #[test]
    fn text_format_escapes_separators_and_marks_null() {
        let mut rows = CopyRows::new();
        rows.text(Some("a\tb\\c\nd\re")).text(None).int(Some(-7)).int(None).bool(true).end();
        rows.text(Some("x")).end();
        assert_eq!(rows.buf, "a\\tb\\\\c\\nd\\re\t\\N\t-7\t\\N\tt\nx\n");
    }
}
