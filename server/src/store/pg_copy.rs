//! The bulk import on PostgreSQL: the rows of a batch of cases streamed with `COPY … FROM STDIN`
//! (text format), one statement per table instead of one round trip per row. The rows are the ones
//! the shared import writes on SQLite (`store::sql::import`); the statistics go through the same
//! merged writes as every step. Triggers fire as for any insert (the queue's counts, the event
//! log's append-only guard).

use super::postgres::PgStore;
use super::sql::common::{db_err, opt_date};
use super::sql::import::{new_row, rated_at, receipt};
use app::domain::case::CaseNo;
use app::error::AppError;
use app::ports::ImportCase;
use sqlx::Row;
use std::collections::HashMap;

/// Reserves `$2` case numbers of year `$1` at once; returns the last.
const RESERVE_NUMBERS: &str = "INSERT INTO case_counters (year, last) VALUES ($1, $2) \
     ON CONFLICT (year) DO UPDATE SET last = case_counters.last + EXCLUDED.last RETURNING last";

const COPY_CASES: &str = "COPY cases (case_no, kind, channel, state, rule_set, bureau, clock_paused, category, \
     received_at, received_on, incident_on, amount_paid_fen, amount_recovered_fen, order_no, demand, demand_text, \
     facts, consent_publish, query_hash, version, updated_at, due_on) FROM STDIN";

const CASE_IDS: &str = "SELECT id, case_no FROM cases WHERE case_no = ANY($1)";

const COPY_PARTIES: &str =
    "COPY parties (case_id, role, name, phone, address, credit_code, county, platform, shop) FROM STDIN";

const COPY_REPRESENTATION: &str = "COPY case_representation (case_id, kind, name, phone, consumers) FROM STDIN";

const COPY_EVENTS: &str = "COPY case_events (case_id, seq, at, actor_role, actor_id, action, from_state, to_state, \
     ground, note, detail) FROM STDIN";

const COPY_RATINGS: &str = "COPY ratings (case_no, process, outcome, comment, rated_at, updated_at) FROM STDIN";

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
    let mut per_year: Vec<(i32, i64)> = Vec::new();
    for ic in cases {
        let year = ic.new.received_on.year();
        match per_year.iter_mut().find(|(y, _)| *y == year) {
            Some((_, n)) => *n += 1,
            None => per_year.push((year, 1)),
        }
    }
    let mut next: HashMap<i32, i64> = HashMap::new();
    for (year, n) in per_year {
        let last: i64 =
            sqlx::query(RESERVE_NUMBERS).bind(year as i64).bind(n).fetch_one(&mut *conn).await.map_err(db_err)?.get(0);
        next.insert(year, last - n + 1);
    }
    Ok(cases
        .iter()
        .map(|ic| {
            let year = ic.new.received_on.year();
            let seq = next.get_mut(&year).expect("every year was reserved");
            *seq += 1;
            CaseNo::new(year, *seq - 1)
        })
        .collect())
}

fn case_rows(cases: &[ImportCase], numbers: &[CaseNo]) -> CopyRows {
    let mut rows = CopyRows::new();
    for (ic, no) in cases.iter().zip(numbers) {
        let (new, c, row) = (&ic.new, &ic.new.case, new_row(ic));
        rows.text(Some(no.as_str()))
            .text(Some(c.kind.code()))
            .text(Some(c.channel.code()))
            .text(Some(row.state.code()))
            .text(Some(&new.rule_set))
            .text(Some(row.bureau))
            .bool(row.clock_paused)
            .text(Some(&c.category))
            .int(Some(new.received_at))
            .text(Some(&app::domain::calendar::format_date(new.received_on)))
            .text(opt_date(c.incident_on).as_deref())
            .int(c.amount_paid.map(|f| f.0))
            .int(row.recovered)
            .text(c.order_no.as_ref().map(|o| o.as_str()))
            .text(c.demand.map(|d| d.code()))
            .text(c.demand_text.as_ref().map(|d| d.as_str()))
            .text(Some(c.facts.as_str()))
            .bool(c.consent_publish)
            .text(Some(&new.query_hash))
            .int(Some(row.version))
            .int(Some(row.updated_at))
            .text(Some(&row.urgency))
            .end();
    }
    rows
}

/// The parties and representations of the cases (ids by case number).
fn party_rows(cases: &[ImportCase], ids: &[i64]) -> (CopyRows, CopyRows) {
    use app::domain::party::Representation;
    let (mut parties, mut reps) = (CopyRows::new(), CopyRows::new());
    for (ic, id) in cases.iter().zip(ids) {
        let c = &ic.new.case;
        // An anonymous report has no consumer party.
        if let Some(p) = &c.consumer {
            parties.int(Some(*id)).text(Some("consumer")).text(Some(p.name.as_str()));
            parties.text(Some(p.phone.as_str())).text(Some(p.address.as_str()));
            parties.text(None).text(None).text(None).text(None).end();
        }
        if let Some(r) = &c.representation {
            let (name, phone, consumers) = match r {
                Representation::Agent { name, phone } => (Some(name.as_str()), Some(phone.as_str()), None),
                Representation::Representative { consumers } => (None, None, Some(*consumers as i64)),
            };
            reps.int(Some(*id)).text(Some(r.code())).text(name).text(phone).int(consumers).end();
        }
        if let Some(b) = &c.business {
            parties.int(Some(*id)).text(Some("business")).text(Some(b.name.as_str())).text(None);
            parties.text(Some(b.address.as_str())).text(b.credit_code.as_ref().map(|x| x.as_str()));
            parties.text(Some(&b.county)).text(b.platform.as_ref().map(|x| x.as_str()));
            parties.text(b.shop.as_ref().map(|x| x.as_str())).end();
        }
    }
    (parties, reps)
}

/// The events (the receipt first) and ratings of the cases, and what their steps add to the statistics.
fn history_rows(
    cases: &[ImportCase],
    ids: &[i64],
    numbers: &[CaseNo],
) -> (CopyRows, CopyRows, Vec<app::domain::stats::StatDelta>) {
    let (mut events, mut ratings, mut stats) = (CopyRows::new(), CopyRows::new(), Vec::new());
    for ((ic, id), no) in cases.iter().zip(ids).zip(numbers) {
        let receipt = receipt(ic);
        for (i, s) in std::iter::once(&receipt).chain(ic.steps.iter()).enumerate() {
            let from = if i == 0 { None } else { Some(s.from.code()) };
            events.int(Some(*id)).int(Some(i as i64 + 1)).int(Some(s.event.at));
            events.text(Some(s.event.actor_role.code())).text(s.event.actor_id.as_deref());
            events.text(Some(s.event.action.code())).text(from).text(Some(s.to.code()));
            events.int(s.ground.map(|g| g as i64)).text(s.event.note.as_deref()).text(s.event.detail.as_deref()).end();
            stats.extend(s.event.stats.iter().cloned());
        }
        if let Some(r) = &ic.rating {
            let at = rated_at(ic);
            ratings.text(Some(no.as_str())).int(Some(r.process as i64)).text(Some(r.outcome.code()));
            ratings.text(r.comment.as_ref().map(|c| c.as_str())).int(Some(at)).int(Some(at)).end();
        }
        stats.extend(ic.new.stats.iter().cloned());
    }
    (events, ratings, stats)
}

impl PgStore {
    /// Stores many cases with their histories, ratings and statistics in one transaction.
    pub(crate) async fn import_cases(&self, cases: &[ImportCase]) -> Result<Vec<CaseNo>, AppError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let numbers = numbers(&mut *tx, cases).await?;
        copy(&mut *tx, COPY_CASES, &case_rows(cases, &numbers)).await?;
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
        let (parties, reps) = party_rows(cases, &ids);
        copy(&mut *tx, COPY_PARTIES, &parties).await?;
        copy(&mut *tx, COPY_REPRESENTATION, &reps).await?;
        let (events, ratings, stats) = history_rows(cases, &ids, &numbers);
        copy(&mut *tx, COPY_EVENTS, &events).await?;
        copy(&mut *tx, COPY_RATINGS, &ratings).await?;
        Self::write_stats(&mut *tx, &stats).await?;
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
