//! The public statistics of a period, from the running totals the store keeps.

use crate::domain::stats::{Figures, Period};
use crate::error::AppError;
use crate::ports::CaseStore;

/// The figures of `period`, compared with the same period a year earlier: read from the
/// running totals, or from `cache` when no step has been recorded since they were read.
///
/// Single flight: when the figures must be read again, one request per server reads them; the
/// others meanwhile get the previous figures of the period (at most [`FiguresCache::STALE_AGE`]
/// old), or wait for that read and take its result, so that a burst of requests finding the
/// cache expired costs one read, not one each.
pub async fn figures(store: &dyn CaseStore, cache: &FiguresCache, period: Period) -> Result<Figures, AppError> {
    let asked = std::time::Instant::now();
    let last_event = store.last_event_id().await?;
    if let Some(f) = cache.get(period, last_event, asked) {
        return Ok(f);
    }
    let turn = match cache.reading.try_lock() {
        Ok(turn) => turn,
        Err(_) => {
            if let Some(f) = cache.recent(period, asked, FiguresCache::STALE_AGE) {
                return Ok(f);
            }
            let turn = cache.reading.lock().await;
            // Read by the request this one waited for.
            if let Some(f) = cache.read_since(period, asked) {
                return Ok(f);
            }
            turn
        }
    };
    let (from, to) = Figures::month_range(period);
    let (rows, days) = store.stats_rows(&from, &to).await?;
    let f = Figures::compute(period, &rows, &days);
    cache.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    cache.put(period, last_event, std::time::Instant::now(), f.clone());
    drop(turn);
    Ok(f)
}

/// Figures recently read, per period, with the event log's last id at the time. Every step
/// that changes the running totals appends to the event log in the same transaction, so while
/// that id is unchanged the totals are too and one cheap indexed read replaces a few thousand
/// rows. The age limit covers what the id cannot see: on PostgreSQL a transaction holding a
/// lower id may commit after one holding a higher id.
#[derive(Debug, Default)]
pub struct FiguresCache {
    map: std::sync::Mutex<std::collections::HashMap<Period, (i64, std::time::Instant, Figures)>>,
    /// Held by the one request reading the totals (tokio's mutex: the others await it).
    reading: tokio::sync::Mutex<()>,
    /// How many times the totals were read (for tests and `/metrics`).
    reads: std::sync::atomic::AtomicU64,
    /// The businesses' rankings recently read (see `service::rankings`).
    pub rankings: crate::service::rankings::Rankings,
}

impl FiguresCache {
    /// How long figures are reused at most.
    pub const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(2);
    /// How old figures may be that are shown while another request reads them afresh.
    pub const STALE_AGE: std::time::Duration = std::time::Duration::from_secs(10);

    /// How many times the totals were read since the server started.
    pub fn reads(&self) -> u64 {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The figures of `period` read less than `max_age` before `now`, whatever was recorded since.
    fn recent(&self, period: Period, now: std::time::Instant, max_age: std::time::Duration) -> Option<Figures> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&period).filter(|(_, at, _)| now.saturating_duration_since(*at) < max_age).map(|(_, _, f)| f.clone())
    }

    /// The figures of `period` if they were read at or after `since`.
    fn read_since(&self, period: Period, since: std::time::Instant) -> Option<Figures> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&period).filter(|(_, at, _)| *at >= since).map(|(_, _, f)| f.clone())
    }
    /// Periods kept at most (a period is ~10 KB); beyond, the cache starts again.
    const CAPACITY: usize = 64;

    fn get(&self, period: Period, last_event: i64, now: std::time::Instant) -> Option<Figures> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&period)
            .filter(|(id, at, _)| *id == last_event && now.saturating_duration_since(*at) < Self::MAX_AGE)
            .map(|(_, _, f)| f.clone())
    }

    fn put(&self, period: Period, last_event: i64, now: std::time::Instant, figures: Figures) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= Self::CAPACITY && !map.contains_key(&period) {
            map.clear();
        }
        map.insert(period, (last_event, now, figures));
    }
}

/// `/stats` for `period` as typed (`2026`, `2026-Q3`, `2026-07`; this year if empty) in `lang`:
/// the figures beside a year earlier, their charts and the keyword cloud.
pub async fn page(
    store: &std::sync::Arc<dyn CaseStore>,
    cache: &FiguresCache,
    period: &str,
    lang: crate::i18n::Lang,
    now: time::OffsetDateTime,
) -> Result<crate::views::stats::StatsData, AppError> {
    let period = parse_period(period, crate::domain::clock::china_date(now))?;
    let figures = figures(store.as_ref(), cache, period).await?;
    let words: Vec<(String, usize)> = store.keywords(40).await?.into_iter().map(|(w, n)| (w, n as usize)).collect();
    let mut data = crate::views::stats::draw(figures, lang, &words);
    // The businesses complained of most this month, from their records.
    let month = crate::domain::stats::month_of(crate::domain::clock::china_date(now));
    data.top_businesses = crate::service::rankings::top(store, &cache.rankings, &month, 10)
        .await?
        .into_iter()
        .map(|b| crate::views::disclosure::BusinessHit {
            key: b.key,
            name: b.name,
            credit_code: b.credit_code,
            county: b.county,
            complaints: b.complaints,
        })
        .collect();
    Ok(data)
}

/// The period asked for in the address bar; the current year when none is given.
pub fn parse_period(text: &str, today: time::Date) -> Result<Period, AppError> {
    if text.trim().is_empty() {
        return Ok(Period::containing("year", today));
    }
    Period::parse(text).map_err(|e| AppError::Invalid(vec![e]))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The aggregate tables of `f` as one CSV (UTF-8 with a byte-order mark, so that spreadsheet
/// programs read the Chinese names): one line per table row, every measure in its own column.
pub fn csv(f: &Figures, lang: crate::i18n::Lang) -> String {
    use crate::domain::stats::Measures;
    use crate::i18n;
    let mut out = String::from("\u{feff}table,key,name,received,received_year_before,decided,accepted,decided_in_time,concluded,settled,recovered_yuan,closed,rated,satisfied,odr_concluded,odr_settled,solved,partly\r\n");
    let yuan = |fen: i64| format!("{}.{:02}", fen / 100, (fen % 100).abs());
    let mut line = |table: &str, key: &str, name: &str, m: Option<&Measures>, received: i64, before: Option<i64>| {
        let mut cols = vec![
            table.to_owned(),
            csv_field(key),
            csv_field(name),
            received.to_string(),
            before.map(|b| b.to_string()).unwrap_or_default(),
        ];
        match m {
            Some(m) => cols.extend([
                m.decided.to_string(),
                m.accepted.to_string(),
                m.decided_in_time.to_string(),
                m.concluded.to_string(),
                m.settled.to_string(),
                yuan(m.recovered_fen),
                m.closed.to_string(),
                m.rated.to_string(),
                m.satisfied.to_string(),
                m.odr_concluded.to_string(),
                m.odr_settled.to_string(),
                m.solved.to_string(),
                m.partly.to_string(),
            ]),
            None => cols.extend(std::iter::repeat_n(String::new(), 13)),
        }
        out.push_str(&cols.join(","));
        out.push_str("\r\n");
    };
    let p = f.period.code();
    line("total", &p, &p, Some(&f.totals), f.totals.received, Some(f.before.received));
    let b = f.period.year_before().code();
    line("total_year_before", &b, &b, Some(&f.before), f.before.received, None);
    for (k, pair) in &f.by_kind {
        line("kind", k.code(), i18n::kind(lang, *k), None, pair.now, Some(pair.before));
    }
    for (c, pair) in &f.by_channel {
        line("channel", c.code(), i18n::channel(lang, *c), None, pair.now, Some(pair.before));
    }
    for (m, pair) in &f.monthly {
        line("month", m, m, None, pair.now, Some(pair.before));
    }
    for (code, m) in &f.by_category {
        line("category", code, &i18n::category_name(lang, code), Some(m), m.received, None);
    }
    for (code, m) in &f.by_prefecture {
        line("prefecture", code, &i18n::prefecture_name(lang, code), Some(m), m.received, None);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn figures_are_reused_only_while_no_step_was_recorded_and_not_for_long() {
        let cache = FiguresCache::default();
        let (year, month) = (Period::Year(2026), Period::Month(2026, 11));
        let t0 = Instant::now();
        assert!(cache.get(year, 7, t0).is_none(), "empty");
        cache.put(year, 7, t0, Figures::compute(year, &[], &[]));
        assert_eq!(cache.get(year, 7, t0 + Duration::from_millis(1999)).map(|f| f.period), Some(year));
        assert!(cache.get(year, 8, t0 + Duration::from_millis(10)).is_none(), "a step was recorded since");
        assert!(cache.get(year, 7, t0 + FiguresCache::MAX_AGE).is_none(), "too old");
        assert!(cache.get(month, 7, t0).is_none(), "another period");
        // Newer figures replace older ones for the same period.
        cache.put(year, 9, t0, Figures::compute(year, &[], &[]));
        assert!(cache.get(year, 7, t0).is_none());
        assert!(cache.get(year, 9, t0).is_some());
    }

    #[test]
    fn the_cache_stays_small() {
        let cache = FiguresCache::default();
        let t0 = Instant::now();
        for m in 0..(FiguresCache::CAPACITY as u8 + 1) {
            let p = Period::Month(2000 + i32::from(m / 12), m % 12 + 1);
            cache.put(p, 1, t0, Figures::compute(p, &[], &[]));
        }
        let len = cache.map.lock().unwrap().len();
        assert!((1..=FiguresCache::CAPACITY).contains(&len), "{len}");
    }
}
