//! The public statistics of a period, from the running totals the store keeps.

use crate::domain::stats::{Figures, Period};
use crate::error::AppError;
use crate::ports::CaseStore;

/// The figures of `period`, compared with the same period a year earlier.
pub async fn figures(store: &dyn CaseStore, period: Period) -> Result<Figures, AppError> {
    let (from, to) = Figures::month_range(period);
    let (rows, days) = store.stats_rows(&from, &to).await?;
    Ok(Figures::compute(period, &rows, &days))
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
    let mut out = String::from("\u{feff}table,key,name,received,received_year_before,decided,accepted,decided_in_time,concluded,settled,recovered_yuan,closed,rated,satisfied\r\n");
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
            ]),
            None => cols.extend(std::iter::repeat_n(String::new(), 9)),
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
