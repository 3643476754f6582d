//! China Standard Time: deadlines, case-number years and the statistics' months follow the local
//! date. Pure conversions of instants the caller supplies.

use time::{Date, OffsetDateTime, UtcOffset};

/// China Standard Time: deadlines and case-number years follow the local date.
pub fn china_date(at: OffsetDateTime) -> Date {
    at.to_offset(UtcOffset::from_hms(8, 0, 0).expect("valid offset")).date()
}

/// A Unix time in milliseconds as China Standard Time.
pub fn china_time_of(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(UtcOffset::from_hms(8, 0, 0).expect("valid offset"))
}

/// The day in China of a Unix time in milliseconds.
pub fn day_of(ms: i64) -> Date {
    china_date(OffsetDateTime::from_unix_timestamp(ms / 1000).unwrap_or(OffsetDateTime::UNIX_EPOCH))
}

/// The first instant of day `d` in China, in Unix milliseconds.
pub fn start_of_china_day(d: Date) -> i64 {
    unix_ms(d.midnight().assume_offset(UtcOffset::from_hms(8, 0, 0).expect("valid offset")))
}

pub fn unix_ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

/// `YYYY-MM-DD HH:MM` in China time.
pub fn china_time(ms: i64) -> String {
    let at = OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(UtcOffset::from_hms(8, 0, 0).expect("valid offset"));
    format!("{} {:02}:{:02}", crate::domain::calendar::format_date(at.date()), at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_china_date_turns_at_sixteen_hundred_utc() {
        let before = time::macros::datetime!(2026-09-30 15:59 UTC);
        let after = time::macros::datetime!(2026-09-30 16:00 UTC);
        assert_eq!(china_date(before), time::macros::date!(2026 - 09 - 30));
        assert_eq!(china_date(after), time::macros::date!(2026 - 10 - 01));
    }
}
