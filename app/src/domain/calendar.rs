//! The working-day calendar (data: `app/data/calendar.json`): weekends, public holidays and
//! swapped workdays (调休). A year without official data (not published yet) is provisional:
//! weekends and the fixed-date statutory holidays (New Year's Day, Labour Day, National Day) are
//! rest days, the lunar holidays and swapped workdays are not known, and every computation that
//! touches such a year says so.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
use std::sync::LazyLock;
use time::{Date, Duration, Weekday};

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).ok()
}

/// Formats as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Coverage {
    /// The year's official schedule is in the data.
    Official,
    /// No schedule for the year: weekends and the fixed-date statutory holidays only.
    Provisional,
}

#[derive(Debug, Deserialize)]
struct YearData {
    source: String,
    holidays: Vec<(String, String)>,
    workdays: Vec<String>,
}

/// The statutory holidays on fixed dates (`MM-DD`), rest days even before a year's schedule is out.
#[derive(Debug, Deserialize)]
struct FixedData {
    fixed_holidays: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CalendarData {
    unpublished_years: FixedData,
    years: BTreeMap<i32, YearData>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Year {
    source: String,
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
}

/// In the browser, mainland China's calendar, set by `shipped::install` before hydration.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub(crate) static CHINA: std::sync::OnceLock<WorkCalendar> = std::sync::OnceLock::new();

/// Mainland China's calendar data as shipped with the portal.
pub const CHINA_JSON: &str = include_str!("../../data/calendar.json");

/// A working-day calendar built from data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkCalendar {
    years: BTreeMap<i32, Year>,
    /// (month, day) of the fixed-date statutory holidays.
    fixed: BTreeSet<(u8, u8)>,
}

/// A date found by counting days, with the years in which only weekends were known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    pub date: Date,
    pub provisional_years: Vec<i32>,
}

impl WorkCalendar {
    /// Builds a calendar from the JSON format of `app/data/calendar.json`.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let data: CalendarData = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut fixed = BTreeSet::new();
        for md in &data.unpublished_years.fixed_holidays {
            // Checked against a leap year so that any real month-day passes.
            let day = parse_date(&format!("2028-{md}")).ok_or_else(|| format!("bad fixed holiday {md}"))?;
            fixed.insert((u8::from(day.month()), day.day()));
        }
        let mut years = BTreeMap::new();
        for (y, d) in data.years {
            let mut year = Year { source: d.source, ..Default::default() };
            for (from, to) in d.holidays {
                let (from, to) = (parse_date(&from), parse_date(&to));
                let (Some(mut day), Some(to)) = (from, to) else {
                    return Err(format!("bad holiday range in {y}"));
                };
                while day <= to {
                    year.holidays.insert(day);
                    day = day.next_day().ok_or("date overflow")?;
                }
            }
            for w in d.workdays {
                let day = parse_date(&w).ok_or_else(|| format!("bad workday {w} in {y}"))?;
                if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
                    return Err(format!("swapped workday {w} is not a weekend day"));
                }
                year.workdays.insert(day);
            }
            if year.holidays.iter().chain(&year.workdays).any(|d| d.year() != y) {
                return Err(format!("a date listed under {y} is in another year"));
            }
            years.insert(y, year);
        }
        Ok(Self { years, fixed })
    }

    /// Mainland China's calendar as shipped with the portal.
    pub fn china() -> &'static WorkCalendar {
        #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
        {
            static CAL: LazyLock<WorkCalendar> = LazyLock::new(|| {
                WorkCalendar::from_json(CHINA_JSON).expect("calendar.json is valid (checked by a unit test)")
            });
            &CAL
        }
        #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
        CHINA.get().expect("the data is installed before hydration")
    }

    pub fn coverage(&self, year: i32) -> Coverage {
        if self.years.contains_key(&year) {
            Coverage::Official
        } else {
            Coverage::Provisional
        }
    }

    /// Where the year's schedule comes from, if it is known.
    pub fn source(&self, year: i32) -> Option<&str> {
        self.years.get(&year).map(|y| y.source.as_str())
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        match self.years.get(&d.year()) {
            Some(y) if y.holidays.contains(&d) => false,
            Some(y) if y.workdays.contains(&d) => true,
            Some(_) => !weekend,
            None => !weekend && !self.fixed.contains(&(u8::from(d.month()), d.day())),
        }
    }

    /// The `n`th working day after `start` (the start day itself is not counted).
    pub fn add_working_days(&self, start: Date, n: u32) -> Counted {
        let mut day = start;
        let mut left = n;
        let mut assumed = BTreeSet::new();
        while left > 0 {
            day += Duration::days(1);
            if self.coverage(day.year()) == Coverage::Provisional {
                assumed.insert(day.year());
            }
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Counted { date: day, provisional_years: assumed.into_iter().collect() }
    }

    /// `start + n` calendar days; if that day is a rest day and `roll` is set, the next working day.
    pub fn add_calendar_days(&self, start: Date, n: u32, roll: bool) -> Counted {
        let mut day = start + Duration::days(n as i64);
        let mut assumed = BTreeSet::new();
        if self.coverage(day.year()) == Coverage::Provisional {
            assumed.insert(day.year());
        }
        while roll && !self.is_working_day(day) {
            day += Duration::days(1);
            if self.coverage(day.year()) == Coverage::Provisional {
                assumed.insert(day.year());
            }
        }
        Counted { date: day, provisional_years: assumed.into_iter().collect() }
    }

    /// Working days from `today` (exclusive) to `due` (inclusive): 0 when due today, negative
    /// when overdue (counting the working days since).
    pub fn working_days_left(&self, today: Date, due: Date) -> i64 {
        let (mut day, end, sign) = if due >= today { (today, due, 1) } else { (due, today, -1) };
        let mut n = 0;
        while day < end {
            day += Duration::days(1);
            if self.is_working_day(day) {
                n += 1;
            }
        }
        sign * n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::china()
    }

    #[test]
    fn shipped_data_loads_and_2026_is_official() {
        assert_eq!(cal().coverage(2026), Coverage::Official);
        assert!(cal().source(2026).unwrap().contains("2026"));
    }

    #[test]
    fn holidays_are_rest_days_and_swapped_weekends_are_working_days() {
        assert!(!cal().is_working_day(date!(2026 - 10 - 01))); // National Day, Thursday
        assert!(!cal().is_working_day(date!(2026 - 02 - 16))); // Spring Festival, Monday
        assert!(cal().is_working_day(date!(2026 - 10 - 10))); // swapped Saturday
        assert!(cal().is_working_day(date!(2026 - 01 - 04))); // swapped Sunday
        assert!(!cal().is_working_day(date!(2026 - 10 - 11))); // ordinary Sunday
        assert!(cal().is_working_day(date!(2026 - 10 - 08))); // Thursday after the break
    }

    #[test]
    fn seven_working_days_from_the_eve_of_national_day() {
        // Received Wed 2026-09-30: Oct 8, 9, 10 (swapped Saturday), 12, 13, 14, 15.
        let c = cal().add_working_days(date!(2026 - 09 - 30), 7);
        assert_eq!(c.date, date!(2026 - 10 - 15));
        assert!(c.provisional_years.is_empty());
    }

    #[test]
    fn seven_working_days_from_the_eve_of_national_day_2025() {
        // 2025: Oct 1–8 off, Sat Oct 11 worked: Oct 9, 10, 11, 13, 14, 15, 16.
        assert_eq!(cal().add_working_days(date!(2025 - 09 - 30), 7).date, date!(2025 - 10 - 16));
        // 2024: Sun Sep 29 worked; Oct 1–7 off; Sat Oct 12 worked.
        assert_eq!(cal().add_working_days(date!(2024 - 09 - 28), 1).date, date!(2024 - 09 - 29));
        assert_eq!(cal().add_working_days(date!(2024 - 09 - 30), 5).date, date!(2024 - 10 - 12));
    }

    #[test]
    fn the_count_starts_after_receipt_whatever_the_day_of_receipt() {
        let rows = [
            // Sat 2026-10-10 is a working day; counting starts on Sun 11 (rest): 12, 13, 14, 15, 16, 19, 20.
            ("received on a swapped Saturday workday", date!(2026 - 10 - 10), 7, date!(2026 - 10 - 20)),
            // Fri 2026-02-13; Sat 14 is a swapped workday (1), 15–23 holiday, then 24, 25, 26, 27, 28 (Sat, swapped), Mar 2.
            ("received just before Spring Festival", date!(2026 - 02 - 13), 7, date!(2026 - 03 - 02)),
            // Received on New Year's Day 2026: Jan 4 (swapped Sunday) is the first working day.
            ("received on a holiday counts from the next working day", date!(2026 - 01 - 01), 1, date!(2026 - 01 - 04)),
        ];
        for (what, received, days, due) in rows {
            assert_eq!(cal().add_working_days(received, days).date, due, "{what}");
        }
    }

    #[test]
    fn a_year_without_data_keeps_the_fixed_date_holidays_and_says_so() {
        // 2030 is not in the data: from Mon 2030-09-30, Oct 1–3 (Tue–Thu) are statutory holidays
        // on fixed dates; then Oct 4, 7, 8, 9, 10, 11, 14.
        let c = cal().add_working_days(date!(2030 - 09 - 30), 7);
        assert_eq!(c.date, date!(2030 - 10 - 14));
        assert_eq!(c.provisional_years, vec![2030]);
        assert_eq!(cal().coverage(2030), Coverage::Provisional);
        assert!(!cal().is_working_day(date!(2030 - 01 - 01)), "New Year's Day, a Tuesday");
        assert!(!cal().is_working_day(date!(2030 - 05 - 02)), "Labour Day's second day, a Thursday");
        assert!(cal().is_working_day(date!(2030 - 05 - 03)), "only two days are statutory");
        assert!(cal().is_working_day(date!(2030 - 10 - 04)), "a Friday after the three statutory days");
    }

    #[test]
    fn a_count_across_a_year_end_reports_only_the_unknown_year() {
        let c = cal().add_working_days(date!(2026 - 12 - 28), 7);
        if cal().coverage(2027) == Coverage::Provisional {
            assert_eq!(c.provisional_years, vec![2027]);
        } else {
            assert!(c.provisional_years.is_empty());
        }
    }

    #[test]
    fn calendar_days_that_end_on_a_rest_day_roll_forward() {
        // 2026-09-01 + 30 days = Thu 2026-10-01 (National Day) → first working day Thu 2026-10-08.
        assert_eq!(cal().add_calendar_days(date!(2026 - 09 - 01), 30, true).date, date!(2026 - 10 - 08));
        assert_eq!(cal().add_calendar_days(date!(2026 - 09 - 01), 30, false).date, date!(2026 - 10 - 01));
        // Ends on the swapped Saturday 2026-10-10: a working day, no roll.
        assert_eq!(cal().add_calendar_days(date!(2026 - 09 - 10), 30, true).date, date!(2026 - 10 - 10));
    }

    #[test]
    fn working_days_left_counts_down_and_goes_negative_when_overdue() {
        assert_eq!(cal().working_days_left(date!(2026 - 09 - 30), date!(2026 - 10 - 15)), 7);
        assert_eq!(cal().working_days_left(date!(2026 - 10 - 15), date!(2026 - 10 - 15)), 0);
        assert_eq!(cal().working_days_left(date!(2026 - 10 - 16), date!(2026 - 10 - 15)), -1);
    }

    #[test]
    fn bad_data_is_refused() {
        let weekday_as_workday = r#"{"unpublished_years":{"fixed_holidays":[]},"years":{"2026":{"source":"x","holidays":[],"workdays":["2026-10-09"]}}}"#;
        assert!(WorkCalendar::from_json(weekday_as_workday).is_err());
        let wrong_year = r#"{"unpublished_years":{"fixed_holidays":[]},"years":{"2025":{"source":"x","holidays":[["2026-01-01","2026-01-01"]],"workdays":[]}}}"#;
        assert!(WorkCalendar::from_json(wrong_year).is_err());
        assert!(WorkCalendar::from_json("{").is_err());
        let bad_fixed = r#"{"unpublished_years":{"fixed_holidays":["13-01"]},"years":{}}"#;
        assert!(WorkCalendar::from_json(bad_fixed).is_err());
    }
}
