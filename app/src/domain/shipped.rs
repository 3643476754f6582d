//! The data files under `app/data/` as the browser gets them: the rule sets, the working-day
//! calendar, the divisions, the categories and the reading of the disclosure rules, already
//! parsed and checked by the server, in postcard (a compact binary form of the same serde types).
//!
//! The server (and every test) compiles the JSON files in and parses them once. The browser does
//! not: its start script fetches this one file beside the WebAssembly, as it fetches the page's
//! messages, and [`install`]s it before hydration. Compiled into the WebAssembly, the JSON texts
//! and their parsers (a JSON decoder per type) weighed about 36 KB brotli on every page (a
//! consumer's page 362 KB; `scripts/bench-weak-line`, 2026-12-08); postcard's decoders of the
//! same types are a fraction of it and are already there for the resources.
use super::calendar::WorkCalendar;
use super::category::Category;
use super::disclosure::DisclosureRules;
use super::region::{Prefecture, Province};
use super::rules::RuleSet;
use serde::{Deserialize, Serialize};

/// Everything of `app/data/` the browser's code reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shipped {
    pub rule_sets: Vec<RuleSet>,
    pub calendar: WorkCalendar,
    pub categories: Vec<Category>,
    pub prefectures: Vec<Prefecture>,
    pub provinces: Vec<Province>,
    pub disclosure: DisclosureRules,
}

/// The data parsed from the JSON files, in postcard, for the browser.
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
pub fn encode() -> Vec<u8> {
    let data = Shipped {
        rule_sets: super::rules::all().to_vec(),
        calendar: WorkCalendar::china().clone(),
        categories: super::category::all().to_vec(),
        prefectures: super::region::prefectures().to_vec(),
        provinces: super::region::provinces().to_vec(),
        disclosure: super::disclosure::rules().clone(),
    };
    // Serialising owned strings, lists and maps into a Vec cannot fail.
    postcard::to_allocvec(&data).unwrap_or_default()
}

/// Takes the data the start script fetched, into each module's own place (so that the modules
/// need not know this one); false (and nothing taken) if it cannot be read.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub fn install(bytes: &[u8]) -> bool {
    let Ok(data) = postcard::from_bytes::<Shipped>(bytes) else { return false };
    // A second call (there is none) would find everything set and change nothing.
    let _ = super::rules::RULE_SETS.set(data.rule_sets);
    let _ = super::calendar::CHINA.set(data.calendar);
    let _ = super::category::TAXONOMY.set(data.categories);
    let _ = super::region::DIVISIONS.set(data.prefectures);
    let _ = super::region::PROVINCES.set(data.provinces);
    let _ = super::disclosure::RULES.set(data.disclosure);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_reaches_the_browser_as_the_server_parsed_it() {
        let bytes = encode();
        let back: Shipped = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back.rule_sets, super::super::rules::all());
        assert_eq!(&back.calendar, WorkCalendar::china());
        assert_eq!(back.categories, super::super::category::all());
        assert_eq!(back.prefectures, super::super::region::prefectures());
        assert_eq!(back.provinces, super::super::region::provinces());
        assert_eq!(&back.disclosure, super::super::disclosure::rules());
        // A truncated file is refused, not half read.
        assert!(postcard::from_bytes::<Shipped>(&bytes[..bytes.len() / 2]).is_err());
    }
}
