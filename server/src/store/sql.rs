//! The SQL of the case store, written once for both backends: the statements use only what
//! SQLite (≥ 3.35) and PostgreSQL share (`$n` parameters in increasing order, `RETURNING`,
//! `ON CONFLICT … DO UPDATE`). [`case_store!`] expands it for one sqlx database type.

use app::domain::calendar::{format_date, parse_date};
use app::domain::case::{CaseForCreate, CaseNo, DemandKind};
use app::domain::credit_code::CreditCode;
use app::domain::fields::{Address, BusinessName, DemandText, Facts, OrderNo, PersonName, PlatformName, ShopName};
use app::domain::kind::{Channel, ItemKind};
use app::domain::money::Fen;
use app::domain::party::{Business, Consumer, MobilePhone};
use app::domain::workflow::{ActionName, CaseState, Role};
use app::error::AppError;
use app::ports::{CaseEvent, StoredCase};

pub const SELECT_CASE: &str = "SELECT c.case_no, c.kind, c.channel, c.state, c.rule_set, c.bureau, c.clock_paused, \
     c.category, c.received_at, c.received_on, c.incident_on, c.amount_paid_fen, c.amount_recovered_fen, c.order_no, \
     c.demand, c.demand_text, c.facts, c.consent_publish, c.version, c.linked_case_no, \
     pc.name AS consumer_name, pc.phone AS consumer_phone, pc.address AS consumer_address, \
     pb.name AS business_name, pb.credit_code AS business_credit_code, pb.address AS business_address, \
     pb.county AS business_county, pb.platform AS business_platform, pb.shop AS business_shop \
     FROM cases c \
     JOIN parties pc ON pc.case_id = c.id AND pc.role = 'consumer' \
     LEFT JOIN parties pb ON pb.case_id = c.id AND pb.role = 'business' \
     WHERE c.case_no = $1";

pub const NEXT_NUMBER: &str = "INSERT INTO case_counters (year, last) VALUES ($1, 1) \
     ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1 RETURNING last";

pub const INSERT_CASE: &str = "INSERT INTO cases (case_no, kind, channel, state, rule_set, bureau, clock_paused, \
     category, received_at, received_on, incident_on, amount_paid_fen, amount_recovered_fen, order_no, demand, \
     demand_text, facts, consent_publish, query_hash, version, updated_at, due_on) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1, $20, $21) \
     RETURNING id";

pub const IMPORT_CASE: &str = "INSERT INTO cases (case_no, kind, channel, state, rule_set, bureau, clock_paused, \
     category, received_at, received_on, incident_on, amount_paid_fen, amount_recovered_fen, order_no, demand, \
     demand_text, facts, consent_publish, query_hash, version, updated_at, due_on) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) \
     RETURNING id";

pub const IMPORT_EVENT: &str = "INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, \
     to_state, ground, note, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

pub const INSERT_PARTY: &str = "INSERT INTO parties (case_id, role, name, phone, address, credit_code, county, \
     platform, shop) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// The next sequence number is computed inside the insert; `UNIQUE (case_id, seq)` refuses a
/// duplicate if two writers ever raced past the version check.
pub const INSERT_EVENT: &str = "INSERT INTO case_events (case_id, seq, at, actor_role, actor_id, action, from_state, \
     to_state, ground, note, detail) \
     VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_events WHERE case_id = $2), $3, $4, $5, $6, $7, $8, $9, $10, \
     $11)";

pub const UPDATE_CASE: &str = "UPDATE cases SET state = $1, bureau = $2, clock_paused = $3, \
     amount_recovered_fen = COALESCE($4, amount_recovered_fen), version = version + 1, updated_at = $5, \
     due_on = $6 WHERE case_no = $7 AND version = $8 RETURNING id";

pub const SELECT_EVENTS: &str = "SELECT e.seq, e.at, e.actor_role, e.actor_id, e.action, e.from_state, e.to_state, \
     e.ground, e.note, e.detail FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.case_no = $1 ORDER BY e.seq";

/// Claims an idempotency key; returns nothing when the key was claimed before.
pub const CLAIM_KEY: &str =
    "INSERT INTO filing_keys (key, case_no, created_at) VALUES ($1, '', $2) ON CONFLICT (key) DO NOTHING RETURNING key";
pub const SET_KEY_CASE: &str = "UPDATE filing_keys SET case_no = $1 WHERE key = $2";
pub const KEY_CASE: &str = "SELECT case_no FROM filing_keys WHERE key = $1";

pub const ADD_EVIDENCE: &str =
    "INSERT INTO evidence (id, case_no, kind, size, sha256, uploaded_at) VALUES ($1, NULL, $2, $3, $4, $5)";
pub const ATTACH_EVIDENCE: &str = "UPDATE evidence SET case_no = $1 WHERE id = $2 AND case_no IS NULL";
pub const EVIDENCE_OF: &str =
    "SELECT id, kind, size, sha256, uploaded_at FROM evidence WHERE case_no = $1 ORDER BY uploaded_at, id";

pub const EVIDENCE_GET: &str = "SELECT id, case_no, kind, size, sha256, uploaded_at FROM evidence WHERE id = $1";

pub const PURGE_PENDING: &str = "DELETE FROM evidence WHERE case_no IS NULL AND uploaded_at < $1 RETURNING id";

/// Takes the case's write lock without changing it, if it is still in the expected state.
pub const TOUCH_IN_STATE: &str = "UPDATE cases SET updated_at = $1 WHERE case_no = $2 AND state = $3 RETURNING id";

pub const INSERT_RATING: &str = "INSERT INTO ratings (case_no, process, outcome, comment, rated_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_no) DO NOTHING RETURNING case_no";
pub const UPDATE_RATING: &str = "UPDATE ratings SET process = $1, outcome = $2, comment = $3, updated_at = $4 \
     WHERE case_no = $5 AND rated_at >= $6 AND process = $7 RETURNING case_no";
pub const SELECT_RATING: &str =
    "SELECT process, outcome, comment, rated_at, updated_at FROM ratings WHERE case_no = $1";

pub const CASES_BY_PHONE: &str = "SELECT c.case_no, c.query_hash FROM parties p JOIN cases c ON c.id = p.case_id \
     WHERE p.phone = $1 AND p.role = 'consumer' ORDER BY c.id DESC LIMIT 50";

/// Other items from the same consumer phone about the same business (by name or credit code).
pub const SIMILAR: &str = "SELECT c.case_no, c.kind, c.state, c.received_on FROM parties pc \
     JOIN cases c ON c.id = pc.case_id \
     JOIN parties pb ON pb.case_id = c.id AND pb.role = 'business' \
     WHERE pc.phone = $1 AND pc.role = 'consumer' AND c.case_no <> $2 AND (pb.name = $3 OR pb.credit_code = $4) \
     ORDER BY c.id DESC LIMIT 10";

pub const THROTTLE_GET: &str = "SELECT failures, window_start, locked_until FROM lookup_throttle WHERE key = $1";
pub const THROTTLE_INSERT: &str = "INSERT INTO lookup_throttle (key, failures, window_start, locked_until) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING";
pub const THROTTLE_UPDATE: &str = "UPDATE lookup_throttle SET failures = $1, window_start = $2, locked_until = $3 \
     WHERE key = $4 AND failures = $5 AND window_start = $6 AND locked_until = $7";
pub const THROTTLE_CLEAR: &str = "DELETE FROM lookup_throttle WHERE key = $1";

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

pub const STATS_ADD: &str = "INSERT INTO stats_agg (month, dim, key, kind, received, decided, accepted, \
     decided_in_time, concluded, settled, recovered_fen, closed, rated, satisfied) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
     ON CONFLICT (month, dim, key, kind) DO UPDATE SET received = stats_agg.received + excluded.received, \
     decided = stats_agg.decided + excluded.decided, accepted = stats_agg.accepted + excluded.accepted, \
     decided_in_time = stats_agg.decided_in_time + excluded.decided_in_time, \
     concluded = stats_agg.concluded + excluded.concluded, settled = stats_agg.settled + excluded.settled, \
     recovered_fen = stats_agg.recovered_fen + excluded.recovered_fen, closed = stats_agg.closed + excluded.closed, \
     rated = stats_agg.rated + excluded.rated, satisfied = stats_agg.satisfied + excluded.satisfied";
pub const STATS_DAYS_ADD: &str = "INSERT INTO stats_days (month, kind, span, days, n) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (month, kind, span, days) DO UPDATE SET n = stats_days.n + excluded.n";
pub const STATS_ROWS: &str = "SELECT month, dim, key, kind, received, decided, accepted, decided_in_time, concluded, \
     settled, recovered_fen, closed, rated, satisfied FROM stats_agg WHERE month >= $1 AND month <= $2";
pub const STATS_DAYS: &str = "SELECT month, kind, span, days, n FROM stats_days WHERE month >= $1 AND month <= $2";

pub const FEED_AFTER: &str = "SELECT e.id, e.at, e.action, e.to_state, c.case_no, c.kind, c.category, b.county \
     FROM case_events e JOIN cases c ON c.id = e.case_id \
     LEFT JOIN parties b ON b.case_id = c.id AND b.role = 'business' WHERE e.id > $1 ORDER BY e.id LIMIT $2";
pub const FEED_RECENT: &str = "SELECT e.id, e.at, e.action, e.to_state, c.case_no, c.kind, c.category, b.county \
     FROM case_events e JOIN cases c ON c.id = e.case_id \
     LEFT JOIN parties b ON b.case_id = c.id AND b.role = 'business' ORDER BY e.at DESC, e.id DESC LIMIT $1";
pub const LAST_EVENT_ID: &str = "SELECT COALESCE(MAX(id), 0) AS n FROM case_events";
pub const RECEIVED_SINCE: &str = "SELECT COUNT(*) AS n FROM cases WHERE received_at >= $1";

pub const PUBLISH_CANDIDATES: &str =
    "SELECT c.case_no FROM cases c WHERE c.consent_publish = $1 AND c.state = 'closed' \
     AND NOT EXISTS (SELECT 1 FROM published_cases p WHERE p.case_no = c.case_no) ORDER BY c.updated_at DESC LIMIT $2";
pub const REVIEW_PUBLISHED: &str =
    "INSERT INTO published_cases (case_no, kind, category, prefecture, closed_on, facts, \
     result, status, reviewed_by, reviewed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (case_no) DO NOTHING RETURNING case_no";
pub const KEYWORD_ADD: &str =
    "INSERT INTO keyword_counts (word, n) VALUES ($1, $2) ON CONFLICT (word) DO UPDATE SET n = keyword_counts.n + excluded.n";
pub const KEYWORDS: &str = "SELECT word, n FROM keyword_counts ORDER BY n DESC, word LIMIT $1";

/// The typical cases, narrowed by fixed fragments only (every value bound).
pub fn published_sql(f: &app::ports::PublishedFilter, limit: i64) -> (String, Vec<String>, i64) {
    let mut sql = String::from(
        "SELECT case_no, kind, category, prefecture, closed_on, facts, result FROM published_cases WHERE status = 'approved'",
    );
    let mut args = Vec::new();
    if let Some(c) = &f.category {
        args.push(c.clone());
        sql.push_str(&format!(" AND category = ${}", args.len()));
    }
    if let Some(p) = &f.prefecture {
        args.push(p.clone());
        sql.push_str(&format!(" AND prefecture = ${}", args.len()));
    }
    if let Some((d, no)) = &f.before {
        args.push(d.clone());
        let a = args.len();
        args.push(d.clone());
        let b = args.len();
        args.push(no.clone());
        sql.push_str(&format!(" AND (closed_on < ${a} OR (closed_on = ${b} AND case_no < ${}))", args.len()));
    }
    sql.push_str(&format!(" ORDER BY closed_on DESC, case_no DESC LIMIT ${}", args.len() + 1));
    (sql, args, limit)
}

pub const LINK: &str = "UPDATE cases SET linked_case_no = $1 WHERE case_no = $2";

pub const EXISTS: &str = "SELECT 1 AS one FROM cases WHERE case_no = $1";
pub const QUERY_HASH: &str = "SELECT query_hash FROM cases WHERE case_no = $1";
pub const META_GET: &str = "SELECT value FROM site_meta WHERE key = $1";
pub const META_INIT: &str = "INSERT INTO site_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";
pub const META_SET: &str =
    "INSERT INTO site_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

fn corrupt(what: &str, value: &str) -> AppError {
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

/// The columns of [`SELECT_CASE`], read from either backend.
pub struct CaseRow {
    pub case_no: String,
    pub kind: String,
    pub channel: String,
    pub state: String,
    pub rule_set: String,
    pub bureau: String,
    pub clock_paused: bool,
    pub category: String,
    pub received_at: i64,
    pub received_on: String,
    pub incident_on: Option<String>,
    pub amount_paid_fen: Option<i64>,
    pub amount_recovered_fen: Option<i64>,
    pub order_no: Option<String>,
    pub demand: Option<String>,
    pub demand_text: Option<String>,
    pub facts: String,
    pub consent_publish: bool,
    pub version: i64,
    pub linked_case_no: Option<String>,
    pub consumer_name: String,
    pub consumer_phone: Option<String>,
    pub consumer_address: String,
    pub business_name: Option<String>,
    pub business_credit_code: Option<String>,
    pub business_address: Option<String>,
    pub business_county: Option<String>,
    pub business_platform: Option<String>,
    pub business_shop: Option<String>,
}

impl CaseRow {
    /// Rebuilds the domain values. Stored text was validated on the way in, so it is taken as is.
    pub fn into_case(self) -> Result<StoredCase, AppError> {
        let business = match self.business_name {
            Some(name) => Some(Business {
                name: BusinessName::from_stored(name),
                credit_code: self
                    .business_credit_code
                    .map(|c| CreditCode::parse(&c))
                    .transpose()
                    .map_err(|_| corrupt("credit code", ""))?,
                address: Address::from_stored(self.business_address.unwrap_or_default()),
                county: self.business_county.unwrap_or_default(),
                platform: self.business_platform.map(PlatformName::from_stored),
                shop: self.business_shop.map(ShopName::from_stored),
            }),
            None => None,
        };
        let kind = code("kind", &self.kind, ItemKind::from_code)?;
        let content = CaseForCreate {
            kind,
            channel: code("channel", &self.channel, Channel::from_code)?,
            category: self.category,
            business,
            consumer: Consumer {
                name: PersonName::from_stored(self.consumer_name),
                phone: MobilePhone::from_stored(self.consumer_phone.unwrap_or_default()),
                address: Address::from_stored(self.consumer_address),
            },
            incident_on: self.incident_on.as_deref().map(date).transpose()?,
            amount_paid: self.amount_paid_fen.map(Fen),
            order_no: self.order_no.map(|o| OrderNo::parse(&o)).transpose().map_err(|_| corrupt("order no", ""))?,
            demand: self.demand.as_deref().map(|d| code("demand", d, DemandKind::from_code)).transpose()?,
            demand_text: self.demand_text.map(DemandText::from_stored),
            facts: Facts::from_stored(self.facts),
            consent_publish: self.consent_publish,
        };
        Ok(StoredCase {
            case_no: CaseNo::parse(&self.case_no).map_err(|_| corrupt("case no", &self.case_no))?,
            kind,
            channel: content.channel,
            state: code("state", &self.state, CaseState::from_code)?,
            rule_set: self.rule_set,
            bureau: self.bureau,
            clock_paused: self.clock_paused,
            received_at: self.received_at,
            received_on: date(&self.received_on)?,
            amount_recovered: self.amount_recovered_fen.map(Fen),
            linked_case_no: self
                .linked_case_no
                .as_deref()
                .map(CaseNo::parse)
                .transpose()
                .map_err(|_| corrupt("linked case", ""))?,
            version: self.version,
            content,
        })
    }
}

pub struct EventRow {
    pub seq: i64,
    pub at: i64,
    pub actor_role: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub ground: Option<i64>,
    pub note: Option<String>,
    pub detail: Option<String>,
}

impl EventRow {
    pub fn into_event(self) -> Result<CaseEvent, AppError> {
        Ok(CaseEvent {
            seq: self.seq,
            at: self.at,
            actor_role: code("role", &self.actor_role, Role::from_code)?,
            actor_id: self.actor_id,
            action: code("action", &self.action, ActionName::from_code)?,
            from_state: self.from_state.as_deref().map(|s| code("state", s, CaseState::from_code)).transpose()?,
            to_state: code("state", &self.to_state, CaseState::from_code)?,
            ground: self.ground.map(|g| g as u32),
            note: self.note,
            detail: self.detail,
        })
    }
}

pub fn opt_date(d: Option<time::Date>) -> Option<String> {
    d.map(format_date)
}

/// Implements [`app::ports::CaseStore`] for `$store` (a struct with a `pool: sqlx::Pool<$db>`).
macro_rules! case_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The consumer and (when known) the business of a new case.
            async fn insert_parties(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                c: &app::domain::case::CaseForCreate,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::*;
                sqlx::query(INSERT_PARTY)
                    .bind(id)
                    .bind("consumer")
                    .bind(c.consumer.name.as_str())
                    .bind(c.consumer.phone.as_str())
                    .bind(c.consumer.address.as_str())
                    .bind(None::<String>)
                    .bind(None::<String>)
                    .bind(None::<String>)
                    .bind(None::<String>)
                    .execute(&mut *conn)
                    .await
                    .map_err(db_err)?;
                if let Some(b) = &c.business {
                    sqlx::query(INSERT_PARTY)
                        .bind(id)
                        .bind("business")
                        .bind(b.name.as_str())
                        .bind(None::<String>)
                        .bind(b.address.as_str())
                        .bind(b.credit_code.as_ref().map(|x| x.as_str().to_owned()))
                        .bind(&b.county)
                        .bind(b.platform.as_ref().map(|x| x.as_str().to_owned()))
                        .bind(b.shop.as_ref().map(|x| x.as_str().to_owned()))
                        .execute(&mut *conn)
                        .await
                        .map_err(db_err)?;
                }
                Ok(())
            }

            /// Adds what steps contribute to the statistics, merged to one write per row, in
            /// the caller's transaction.
            pub(crate) async fn write_stats(
                conn: &mut <$db as sqlx::Database>::Connection,
                deltas: &[app::domain::stats::StatDelta],
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::*;
                if deltas.is_empty() {
                    return Ok(());
                }
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
        impl app::ports::CaseStore for $store {
            async fn create(&self, new: app::ports::NewCase) -> Result<app::ports::StoredCase, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let c = &new.case;
                let year = new.received_on.year() as i64;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                if let Some(key) = &new.idempotency_key {
                    // First statement, a write: a concurrent twin waits here for this transaction.
                    let claimed = sqlx::query(CLAIM_KEY)
                        .bind(key)
                        .bind(new.received_at)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    if claimed.is_none() {
                        tx.rollback().await.map_err(db_err)?;
                        let no: String =
                            sqlx::query(KEY_CASE).bind(key).fetch_one(&self.pool).await.map_err(db_err)?.get(0);
                        let no = app::domain::case::CaseNo::parse(&no)
                            .map_err(|_| app::error::AppError::internal("idempotency", "key without case"))?;
                        return self.get(&no).await?.ok_or(app::error::AppError::NotFound);
                    }
                }
                // The counter upsert takes the write lock before anything is read.
                let seq: i64 = sqlx::query(NEXT_NUMBER).bind(year).fetch_one(&mut *tx).await.map_err(db_err)?.get(0);
                let case_no = app::domain::case::CaseNo::new(year as i32, seq);
                let id: i64 = sqlx::query(INSERT_CASE)
                    .bind(case_no.as_str())
                    .bind(c.kind.code())
                    .bind(c.channel.code())
                    .bind(app::domain::workflow::CaseState::Received.code())
                    .bind(&new.rule_set)
                    .bind(&new.bureau)
                    .bind(false)
                    .bind(&c.category)
                    .bind(new.received_at)
                    .bind(app::domain::calendar::format_date(new.received_on))
                    .bind(opt_date(c.incident_on))
                    .bind(c.amount_paid.map(|f| f.0))
                    .bind(None::<i64>)
                    .bind(c.order_no.as_ref().map(|o| o.as_str().to_owned()))
                    .bind(c.demand.map(|d| d.code()))
                    .bind(c.demand_text.as_ref().map(|d| d.as_str().to_owned()))
                    .bind(c.facts.as_str())
                    .bind(c.consent_publish)
                    .bind(&new.query_hash)
                    .bind(new.received_at)
                    .bind(new.urgency.key())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_err)?
                    .get(0);
                Self::insert_parties(&mut *tx, id, c).await?;
                sqlx::query(INSERT_EVENT)
                    .bind(id)
                    .bind(id)
                    .bind(new.received_at)
                    .bind(new.actor_role.code())
                    .bind(new.actor_id.as_deref())
                    .bind(app::domain::workflow::ActionName::Receive.code())
                    .bind(None::<String>)
                    .bind(app::domain::workflow::CaseState::Received.code())
                    .bind(None::<i64>)
                    .bind(None::<String>)
                    .bind(None::<String>)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                if let Some(key) = &new.idempotency_key {
                    sqlx::query(SET_KEY_CASE)
                        .bind(case_no.as_str())
                        .bind(key)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                }
                Self::write_stats(&mut *tx, &new.stats).await?;
                tx.commit().await.map_err(db_err)?;
                self.get(&case_no).await?.ok_or_else(|| app::error::AppError::internal("create", "case vanished"))
            }

            async fn get(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Option<app::ports::StoredCase>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let Some(r) =
                    sqlx::query(SELECT_CASE).bind(no.as_str()).fetch_optional(&self.pool).await.map_err(db_err)?
                else {
                    return Ok(None);
                };
                let row = CaseRow {
                    case_no: r.try_get("case_no").map_err(db_err)?,
                    kind: r.try_get("kind").map_err(db_err)?,
                    channel: r.try_get("channel").map_err(db_err)?,
                    state: r.try_get("state").map_err(db_err)?,
                    rule_set: r.try_get("rule_set").map_err(db_err)?,
                    bureau: r.try_get("bureau").map_err(db_err)?,
                    clock_paused: r.try_get("clock_paused").map_err(db_err)?,
                    category: r.try_get("category").map_err(db_err)?,
                    received_at: r.try_get("received_at").map_err(db_err)?,
                    received_on: r.try_get("received_on").map_err(db_err)?,
                    incident_on: r.try_get("incident_on").map_err(db_err)?,
                    amount_paid_fen: r.try_get("amount_paid_fen").map_err(db_err)?,
                    amount_recovered_fen: r.try_get("amount_recovered_fen").map_err(db_err)?,
                    order_no: r.try_get("order_no").map_err(db_err)?,
                    demand: r.try_get("demand").map_err(db_err)?,
                    demand_text: r.try_get("demand_text").map_err(db_err)?,
                    facts: r.try_get("facts").map_err(db_err)?,
                    consent_publish: r.try_get("consent_publish").map_err(db_err)?,
                    version: r.try_get("version").map_err(db_err)?,
                    linked_case_no: r.try_get("linked_case_no").map_err(db_err)?,
                    consumer_name: r.try_get("consumer_name").map_err(db_err)?,
                    consumer_phone: r.try_get("consumer_phone").map_err(db_err)?,
                    consumer_address: r.try_get("consumer_address").map_err(db_err)?,
                    business_name: r.try_get("business_name").map_err(db_err)?,
                    business_credit_code: r.try_get("business_credit_code").map_err(db_err)?,
                    business_address: r.try_get("business_address").map_err(db_err)?,
                    business_county: r.try_get("business_county").map_err(db_err)?,
                    business_platform: r.try_get("business_platform").map_err(db_err)?,
                    business_shop: r.try_get("business_shop").map_err(db_err)?,
                };
                row.into_case().map(Some)
            }

            async fn add_evidence(&self, r: &app::ports::EvidenceRecord) -> Result<(), app::error::AppError> {
                use crate::store::sql::*;
                sqlx::query(ADD_EVIDENCE)
                    .bind(&r.id)
                    .bind(r.kind.code())
                    .bind(r.size)
                    .bind(&r.sha256)
                    .bind(r.uploaded_at)
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(())
            }

            async fn attach_evidence(
                &self,
                no: &app::domain::case::CaseNo,
                ids: &[String],
            ) -> Result<usize, app::error::AppError> {
                use crate::store::sql::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let mut n = 0;
                for id in ids {
                    let r = sqlx::query(ATTACH_EVIDENCE)
                        .bind(no.as_str())
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    n += r.rows_affected() as usize;
                }
                tx.commit().await.map_err(db_err)?;
                Ok(n)
            }

            async fn purge_pending_evidence(&self, before: i64) -> Result<Vec<String>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let rows = sqlx::query(PURGE_PENDING).bind(before).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.into_iter().map(|r| r.try_get::<String, _>(0).map_err(db_err)).collect()
            }

            async fn evidence_get(
                &self,
                id: &str,
            ) -> Result<Option<(Option<app::domain::case::CaseNo>, app::ports::EvidenceRecord)>, app::error::AppError>
            {
                use crate::store::sql::*;
                use sqlx::Row;
                let Some(r) = sqlx::query(EVIDENCE_GET).bind(id).fetch_optional(&self.pool).await.map_err(db_err)?
                else {
                    return Ok(None);
                };
                let case_no: Option<String> = r.try_get("case_no").map_err(db_err)?;
                let kind: String = r.try_get("kind").map_err(db_err)?;
                let record = app::ports::EvidenceRecord {
                    id: r.try_get("id").map_err(db_err)?,
                    kind: code("evidence kind", &kind, app::domain::evidence::EvidenceKind::from_code)?,
                    size: r.try_get("size").map_err(db_err)?,
                    sha256: r.try_get("sha256").map_err(db_err)?,
                    uploaded_at: r.try_get("uploaded_at").map_err(db_err)?,
                };
                let case_no = case_no
                    .map(|n| code("case number", &n, |s| app::domain::case::CaseNo::parse(s).ok()))
                    .transpose()?;
                Ok(Some((case_no, record)))
            }

            async fn evidence_of(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Vec<app::ports::EvidenceRecord>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let rows = sqlx::query(EVIDENCE_OF).bind(no.as_str()).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.into_iter()
                    .map(|r| {
                        let kind: String = r.try_get("kind").map_err(db_err)?;
                        Ok(app::ports::EvidenceRecord {
                            id: r.try_get("id").map_err(db_err)?,
                            kind: code("evidence kind", &kind, app::domain::evidence::EvidenceKind::from_code)?,
                            size: r.try_get("size").map_err(db_err)?,
                            sha256: r.try_get("sha256").map_err(db_err)?,
                            uploaded_at: r.try_get("uploaded_at").map_err(db_err)?,
                        })
                    })
                    .collect()
            }

            async fn link(
                &self,
                a: &app::domain::case::CaseNo,
                b: &app::domain::case::CaseNo,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                sqlx::query(LINK).bind(b.as_str()).bind(a.as_str()).execute(&mut *tx).await.map_err(db_err)?;
                sqlx::query(LINK).bind(a.as_str()).bind(b.as_str()).execute(&mut *tx).await.map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
                Ok(())
            }

            async fn query_hash(&self, no: &app::domain::case::CaseNo) -> Result<Option<String>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let row = sqlx::query(QUERY_HASH).bind(no.as_str()).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.map(|r| r.try_get::<String, _>(0).map_err(db_err)).transpose()
            }

            async fn events(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Vec<app::ports::CaseEvent>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let rows = sqlx::query(SELECT_EVENTS).bind(no.as_str()).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.into_iter()
                    .map(|r| {
                        EventRow {
                            seq: r.try_get("seq").map_err(db_err)?,
                            at: r.try_get("at").map_err(db_err)?,
                            actor_role: r.try_get("actor_role").map_err(db_err)?,
                            actor_id: r.try_get("actor_id").map_err(db_err)?,
                            action: r.try_get("action").map_err(db_err)?,
                            from_state: r.try_get("from_state").map_err(db_err)?,
                            to_state: r.try_get("to_state").map_err(db_err)?,
                            ground: r.try_get("ground").map_err(db_err)?,
                            note: r.try_get("note").map_err(db_err)?,
                            detail: r.try_get("detail").map_err(db_err)?,
                        }
                        .into_event()
                    })
                    .collect()
            }

            async fn apply(
                &self,
                no: &app::domain::case::CaseNo,
                expected_version: i64,
                from: app::domain::workflow::CaseState,
                outcome: &app::domain::workflow::Outcome,
                event: app::ports::EventForCreate,
                urgency: app::domain::queue::Urgency,
            ) -> Result<app::ports::StoredCase, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                // The guarded update is the first statement: it both takes the write lock and
                // refuses a stale version.
                let updated = sqlx::query(UPDATE_CASE)
                    .bind(outcome.to.code())
                    .bind(&outcome.bureau)
                    .bind(outcome.clock_paused)
                    .bind(outcome.recovered.map(|f| f.0))
                    .bind(event.at)
                    .bind(urgency.key())
                    .bind(no.as_str())
                    .bind(expected_version)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                let Some(updated) = updated else {
                    let exists =
                        sqlx::query(EXISTS).bind(no.as_str()).fetch_optional(&mut *tx).await.map_err(db_err)?;
                    return Err(if exists.is_some() {
                        app::error::AppError::Conflict
                    } else {
                        app::error::AppError::NotFound
                    });
                };
                let id: i64 = updated.get(0);
                sqlx::query(INSERT_EVENT)
                    .bind(id)
                    .bind(id)
                    .bind(event.at)
                    .bind(event.actor_role.code())
                    .bind(event.actor_id.as_deref())
                    .bind(event.action.code())
                    .bind(from.code())
                    .bind(outcome.to.code())
                    .bind(outcome.ground.map(|g| g as i64))
                    .bind(event.note.as_deref())
                    .bind(event.detail.as_deref())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                Self::write_stats(&mut *tx, &event.stats).await?;
                tx.commit().await.map_err(db_err)?;
                self.get(no).await?.ok_or(app::error::AppError::NotFound)
            }

            async fn record(
                &self,
                no: &app::domain::case::CaseNo,
                state: app::domain::workflow::CaseState,
                event: app::ports::EventForCreate,
                beside: app::ports::Beside,
            ) -> Result<(), app::error::AppError> {
                use crate::store::sql::*;
                use app::ports::Beside;
                use sqlx::Row;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                // First statement, a write: serialises with staff steps on the same case.
                let touched = sqlx::query(TOUCH_IN_STATE)
                    .bind(event.at)
                    .bind(no.as_str())
                    .bind(state.code())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                let Some(touched) = touched else {
                    let exists =
                        sqlx::query(EXISTS).bind(no.as_str()).fetch_optional(&mut *tx).await.map_err(db_err)?;
                    return Err(if exists.is_some() {
                        app::error::AppError::Conflict
                    } else {
                        app::error::AppError::NotFound
                    });
                };
                let id: i64 = touched.get(0);
                let comment = |r: &app::domain::tracking::Rating| r.comment.as_ref().map(|c| c.as_str().to_owned());
                let done = match &beside {
                    Beside::Nothing => true,
                    Beside::Evidence(ids) => {
                        for evidence in ids {
                            sqlx::query(ATTACH_EVIDENCE)
                                .bind(no.as_str())
                                .bind(evidence)
                                .execute(&mut *tx)
                                .await
                                .map_err(db_err)?;
                        }
                        true
                    }
                    Beside::NewRating(r) => sqlx::query(INSERT_RATING)
                        .bind(no.as_str())
                        .bind(r.process as i64)
                        .bind(r.outcome.code())
                        .bind(comment(r))
                        .bind(event.at)
                        .bind(event.at)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db_err)?
                        .is_some(),
                    Beside::EditRating { rating: r, rated_since, old_process } => sqlx::query(UPDATE_RATING)
                        .bind(r.process as i64)
                        .bind(r.outcome.code())
                        .bind(comment(r))
                        .bind(event.at)
                        .bind(no.as_str())
                        .bind(*rated_since)
                        .bind(*old_process as i64)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db_err)?
                        .is_some(),
                };
                if !done {
                    tx.rollback().await.map_err(db_err)?;
                    return Err(app::error::AppError::Conflict);
                }
                sqlx::query(INSERT_EVENT)
                    .bind(id)
                    .bind(id)
                    .bind(event.at)
                    .bind(event.actor_role.code())
                    .bind(event.actor_id.as_deref())
                    .bind(event.action.code())
                    .bind(state.code())
                    .bind(state.code())
                    .bind(None::<i64>)
                    .bind(event.note.as_deref())
                    .bind(event.detail.as_deref())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                Self::write_stats(&mut *tx, &event.stats).await?;
                tx.commit().await.map_err(db_err)
            }

            async fn import(
                &self,
                cases: &[app::ports::ImportCase],
            ) -> Result<Vec<app::domain::case::CaseNo>, app::error::AppError> {
                use crate::store::sql::*;
                use app::domain::workflow::{ActionName, CaseState};
                use sqlx::Row;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let mut out = Vec::with_capacity(cases.len());
                let mut stats = Vec::new();
                for ic in cases {
                    let (new, c) = (&ic.new, &ic.new.case);
                    let year = new.received_on.year() as i64;
                    let seq: i64 =
                        sqlx::query(NEXT_NUMBER).bind(year).fetch_one(&mut *tx).await.map_err(db_err)?.get(0);
                    let case_no = app::domain::case::CaseNo::new(year as i32, seq);
                    let last_at = ic.steps.last().map(|s| s.event.at).unwrap_or(new.received_at);
                    let id: i64 = sqlx::query(IMPORT_CASE)
                        .bind(case_no.as_str())
                        .bind(c.kind.code())
                        .bind(c.channel.code())
                        .bind(ic.state.code())
                        .bind(&new.rule_set)
                        .bind(&ic.bureau)
                        .bind(ic.clock_paused)
                        .bind(&c.category)
                        .bind(new.received_at)
                        .bind(app::domain::calendar::format_date(new.received_on))
                        .bind(opt_date(c.incident_on))
                        .bind(c.amount_paid.map(|f| f.0))
                        .bind(ic.recovered.map(|f| f.0))
                        .bind(c.order_no.as_ref().map(|o| o.as_str().to_owned()))
                        .bind(c.demand.map(|d| d.code()))
                        .bind(c.demand_text.as_ref().map(|d| d.as_str().to_owned()))
                        .bind(c.facts.as_str())
                        .bind(c.consent_publish)
                        .bind(&new.query_hash)
                        .bind(ic.version)
                        .bind(last_at)
                        .bind(ic.urgency.key())
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db_err)?
                        .get(0);
                    Self::insert_parties(&mut *tx, id, c).await?;
                    let receipt = app::ports::ImportStep {
                        event: app::ports::EventForCreate {
                            at: new.received_at,
                            actor_role: new.actor_role,
                            actor_id: new.actor_id.clone(),
                            action: ActionName::Receive,
                            note: None,
                            detail: None,
                            stats: Vec::new(),
                        },
                        from: CaseState::Received,
                        to: CaseState::Received,
                        ground: None,
                    };
                    for (i, s) in std::iter::once(&receipt).chain(ic.steps.iter()).enumerate() {
                        let from = if i == 0 { None } else { Some(s.from.code()) };
                        sqlx::query(IMPORT_EVENT)
                            .bind(id)
                            .bind(i as i64 + 1)
                            .bind(s.event.at)
                            .bind(s.event.actor_role.code())
                            .bind(s.event.actor_id.as_deref())
                            .bind(s.event.action.code())
                            .bind(from)
                            .bind(s.to.code())
                            .bind(s.ground.map(|g| g as i64))
                            .bind(s.event.note.as_deref())
                            .bind(s.event.detail.as_deref())
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                        stats.extend(s.event.stats.iter().cloned());
                    }
                    if let Some(r) = &ic.rating {
                        let at = ic.steps.iter().rev().find(|s| s.event.action == ActionName::Rate).map(|s| s.event.at);
                        let at = at.unwrap_or(last_at);
                        sqlx::query(INSERT_RATING)
                            .bind(case_no.as_str())
                            .bind(r.process as i64)
                            .bind(r.outcome.code())
                            .bind(r.comment.as_ref().map(|c| c.as_str().to_owned()))
                            .bind(at)
                            .bind(at)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db_err)?;
                    }
                    stats.extend(new.stats.iter().cloned());
                    out.push(case_no);
                }
                Self::write_stats(&mut *tx, &stats).await?;
                tx.commit().await.map_err(db_err)?;
                Ok(out)
            }

            async fn feed(
                &self,
                after: Option<i64>,
                limit: i64,
            ) -> Result<Vec<app::ports::FeedItem>, app::error::AppError> {
                use crate::store::sql::*;
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
                use crate::store::sql::*;
                use sqlx::Row;
                let r = sqlx::query(LAST_EVENT_ID).fetch_one(&self.pool).await.map_err(db_err)?;
                r.try_get("n").map_err(db_err)
            }

            async fn received_since(&self, at: i64) -> Result<i64, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let r = sqlx::query(RECEIVED_SINCE).bind(at).fetch_one(&self.pool).await.map_err(db_err)?;
                r.try_get("n").map_err(db_err)
            }

            async fn publish_candidates(
                &self,
                limit: i64,
            ) -> Result<Vec<app::domain::case::CaseNo>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let rows = sqlx::query(PUBLISH_CANDIDATES)
                    .bind(true)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.into_iter()
                    .map(|r| {
                        let no: String = r.try_get("case_no").map_err(db_err)?;
                        code("case number", &no, |s| app::domain::case::CaseNo::parse(s).ok())
                    })
                    .collect()
            }

            async fn review_published(
                &self,
                case: &app::ports::PublishedCase,
                approved: bool,
                by: &str,
                at: i64,
                words: &[String],
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::*;
                let mut tx = self.pool.begin().await.map_err(db_err)?;
                let stored = sqlx::query(REVIEW_PUBLISHED)
                    .bind(case.case_no.as_str())
                    .bind(case.kind.code())
                    .bind(&case.category)
                    .bind(&case.prefecture)
                    .bind(app::domain::calendar::format_date(case.closed_on))
                    .bind(&case.facts)
                    .bind(&case.result)
                    .bind(if approved { "approved" } else { "rejected" })
                    .bind(by)
                    .bind(at)
                    .bind(at)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                if stored.is_none() {
                    tx.rollback().await.map_err(db_err)?;
                    return Ok(false);
                }
                if approved {
                    let mut counts: std::collections::BTreeMap<&str, i64> = Default::default();
                    for w in words {
                        *counts.entry(w.as_str()).or_default() += 1;
                    }
                    for (w, n) in counts {
                        sqlx::query(KEYWORD_ADD).bind(w).bind(n).execute(&mut *tx).await.map_err(db_err)?;
                    }
                }
                tx.commit().await.map_err(db_err)?;
                Ok(true)
            }

            async fn published(
                &self,
                filter: &app::ports::PublishedFilter,
                limit: i64,
            ) -> Result<Vec<app::ports::PublishedCase>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let (sql, args, limit) = published_sql(filter, limit);
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for a in args {
                    q = q.bind(a);
                }
                let rows = q.bind(limit).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.into_iter()
                    .map(|r| {
                        let no: String = r.try_get("case_no").map_err(db_err)?;
                        let kind: String = r.try_get("kind").map_err(db_err)?;
                        let closed: String = r.try_get("closed_on").map_err(db_err)?;
                        Ok(app::ports::PublishedCase {
                            case_no: code("case number", &no, |s| app::domain::case::CaseNo::parse(s).ok())?,
                            kind: code("kind", &kind, app::domain::kind::ItemKind::from_code)?,
                            category: r.try_get("category").map_err(db_err)?,
                            prefecture: r.try_get("prefecture").map_err(db_err)?,
                            closed_on: date(&closed)?,
                            facts: r.try_get("facts").map_err(db_err)?,
                            result: r.try_get("result").map_err(db_err)?,
                        })
                    })
                    .collect()
            }

            async fn keywords(&self, limit: i64) -> Result<Vec<(String, i64)>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let rows = sqlx::query(KEYWORDS).bind(limit).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.into_iter()
                    .map(|r| Ok((r.try_get("word").map_err(db_err)?, r.try_get("n").map_err(db_err)?)))
                    .collect()
            }

            async fn stats_rows(
                &self,
                from: &str,
                to: &str,
            ) -> Result<(Vec<app::domain::stats::AggRow>, Vec<app::domain::stats::DaysRow>), app::error::AppError> {
                use crate::store::sql::*;
                use app::domain::stats::*;
                use sqlx::Row;
                let rows = sqlx::query(STATS_ROWS).bind(from).bind(to).fetch_all(&self.pool).await.map_err(db_err)?;
                let agg = rows
                    .into_iter()
                    .map(|r| {
                        let dim: String = r.try_get("dim").map_err(db_err)?;
                        let kind: String = r.try_get("kind").map_err(db_err)?;
                        let mut v = [0i64; 10];
                        for (i, col) in Measures::COLUMNS.iter().enumerate() {
                            v[i] = r.try_get(*col).map_err(db_err)?;
                        }
                        Ok(AggRow {
                            month: r.try_get("month").map_err(db_err)?,
                            dim: code("statistics dimension", &dim, Dim::from_code)?,
                            key: r.try_get("key").map_err(db_err)?,
                            kind: code("kind", &kind, app::domain::kind::ItemKind::from_code)?,
                            m: Measures::from_values(v),
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

            async fn rating(
                &self,
                no: &app::domain::case::CaseNo,
            ) -> Result<Option<app::ports::StoredRating>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let Some(r) =
                    sqlx::query(SELECT_RATING).bind(no.as_str()).fetch_optional(&self.pool).await.map_err(db_err)?
                else {
                    return Ok(None);
                };
                let outcome: String = r.try_get("outcome").map_err(db_err)?;
                let process: i64 = r.try_get("process").map_err(db_err)?;
                let comment: Option<String> = r.try_get("comment").map_err(db_err)?;
                Ok(Some(app::ports::StoredRating {
                    rating: app::domain::tracking::Rating {
                        process: process as u8,
                        outcome: code("rating outcome", &outcome, app::domain::tracking::RatingOutcome::from_code)?,
                        comment: comment.map(app::domain::fields::Comment::from_stored),
                    },
                    rated_at: r.try_get("rated_at").map_err(db_err)?,
                    updated_at: r.try_get("updated_at").map_err(db_err)?,
                }))
            }

            async fn cases_by_phone(
                &self,
                phone: &str,
            ) -> Result<Vec<(app::domain::case::CaseNo, String)>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let rows = sqlx::query(CASES_BY_PHONE).bind(phone).fetch_all(&self.pool).await.map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        let no: String = r.try_get(0).map_err(db_err)?;
                        let hash: String = r.try_get(1).map_err(db_err)?;
                        Ok((code("case number", &no, |s| app::domain::case::CaseNo::parse(s).ok())?, hash))
                    })
                    .collect()
            }

            async fn similar(
                &self,
                no: &app::domain::case::CaseNo,
                phone: &str,
                business_name: &str,
                credit_code: Option<&str>,
            ) -> Result<Vec<app::ports::SimilarCase>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let rows = sqlx::query(SIMILAR)
                    .bind(phone)
                    .bind(no.as_str())
                    .bind(business_name)
                    .bind(credit_code)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_err)?;
                rows.iter()
                    .map(|r| {
                        let text = |i: usize| r.try_get::<String, _>(i).map_err(db_err);
                        Ok(app::ports::SimilarCase {
                            case_no: code("case number", &text(0)?, |s| app::domain::case::CaseNo::parse(s).ok())?,
                            kind: code("kind", &text(1)?, app::domain::kind::ItemKind::from_code)?,
                            state: code("state", &text(2)?, app::domain::workflow::CaseState::from_code)?,
                            received_on: date(&text(3)?)?,
                        })
                    })
                    .collect()
            }

            async fn throttle_get(&self, key: &str) -> Result<app::domain::tracking::Counter, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let row = sqlx::query(THROTTLE_GET).bind(key).fetch_optional(&self.pool).await.map_err(db_err)?;
                let Some(r) = row else { return Ok(Default::default()) };
                Ok(app::domain::tracking::Counter {
                    failures: r.try_get::<i64, _>(0).map_err(db_err)? as u32,
                    window_start: r.try_get(1).map_err(db_err)?,
                    locked_until: r.try_get(2).map_err(db_err)?,
                })
            }

            async fn throttle_swap(
                &self,
                key: &str,
                old: app::domain::tracking::Counter,
                new: app::domain::tracking::Counter,
            ) -> Result<bool, app::error::AppError> {
                use crate::store::sql::*;
                if old == app::domain::tracking::Counter::default() {
                    let inserted = sqlx::query(THROTTLE_INSERT)
                        .bind(key)
                        .bind(new.failures as i64)
                        .bind(new.window_start)
                        .bind(new.locked_until)
                        .execute(&self.pool)
                        .await
                        .map_err(db_err)?;
                    if inserted.rows_affected() == 1 {
                        return Ok(true);
                    }
                }
                let updated = sqlx::query(THROTTLE_UPDATE)
                    .bind(new.failures as i64)
                    .bind(new.window_start)
                    .bind(new.locked_until)
                    .bind(key)
                    .bind(old.failures as i64)
                    .bind(old.window_start)
                    .bind(old.locked_until)
                    .execute(&self.pool)
                    .await
                    .map_err(db_err)?;
                Ok(updated.rows_affected() == 1)
            }

            async fn throttle_clear(&self, key: &str) -> Result<(), app::error::AppError> {
                use crate::store::sql::*;
                sqlx::query(THROTTLE_CLEAR).bind(key).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }

            async fn queue(
                &self,
                filter: &app::ports::QueueFilter,
                limit: i64,
            ) -> Result<(Vec<app::ports::QueueRow>, Option<app::domain::queue::Cursor>), app::error::AppError> {
                use crate::store::sql::*;
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
                use crate::store::sql::*;
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

            async fn ping(&self) -> Result<(), app::error::AppError> {
                sqlx::query("SELECT 1").execute(&self.pool).await.map_err(crate::store::sql::db_err)?;
                Ok(())
            }

            async fn meta_get(&self, key: &str) -> Result<Option<String>, app::error::AppError> {
                use crate::store::sql::*;
                use sqlx::Row;
                let row = sqlx::query(META_GET).bind(key).fetch_optional(&self.pool).await.map_err(db_err)?;
                row.map(|r| r.try_get::<String, _>(0).map_err(db_err)).transpose()
            }

            async fn meta_init(&self, key: &str, value: &str) -> Result<String, app::error::AppError> {
                use crate::store::sql::*;
                sqlx::query(META_INIT).bind(key).bind(value).execute(&self.pool).await.map_err(db_err)?;
                self.meta_get(key).await?.ok_or_else(|| app::error::AppError::internal("meta", "value vanished"))
            }

            async fn meta_set(&self, key: &str, value: &str) -> Result<(), app::error::AppError> {
                use crate::store::sql::*;
                sqlx::query(META_SET).bind(key).bind(value).execute(&self.pool).await.map_err(db_err)?;
                Ok(())
            }
        }
    };
}

pub(crate) use case_store;
