//! Property-based fuzzing of every parser of user input in the domain (bounded, so `cargo test`
//! runs it every time): no input makes one panic, and what is valid reads back as itself.

use super::case::{CaseNo, QueryCode};
use super::credit_code::CreditCode;
use super::filing::FilingForm;
use super::money::Fen;
use super::party::Phone;
use super::queue::QueueParams;
use super::staff::Username;
use proptest::prelude::*;
use time::macros::date;

/// Any text, weighted towards what breaks parsers: digits, dashes, spaces, wide and control
/// characters, and long runs.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9A-Za-z \\-.,¥￥#/_:]{0,40}",
        "[\\u{0}-\\u{1f}\\u{7f}\\u{200b}\\u{feff}0-9Q H-]{0,24}",
        "[一-龥０-９]{0,12}",
        proptest::collection::vec(any::<char>(), 0..400).prop_map(|v| v.into_iter().collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_text_makes_a_field_parser_panic(s in text()) {
        let _ = CaseNo::parse(&s);
        let _ = QueryCode::parse(&s);
        let _ = CreditCode::parse(&s);
        let _ = Fen::parse_yuan(&s);
        let _ = Phone::parse(&s);
        let _ = Username::parse(&s);
        let _ = super::calendar::parse_date(&s);
        let _ = super::stats::Period::parse(&s);
        let _ = super::evidence::parse_ids(&s);
        let _ = super::tracking::parse_reason(&s);
        let _ = super::tracking::parse_supplement_text(&s, 1);
        let _ = super::party::parse_county(&s);
        let _ = super::category::parse(&s, super::kind::ItemKind::Complaint);
        let _ = super::case::parse_incident_date(&s, date!(2026 - 12 - 02));
    }

    #[test]
    fn no_form_makes_the_filing_or_queue_parsers_panic(
        a in text(), b in text(), c in text(), d in text(), e in text(), f in text(),
    ) {
        let today = date!(2026 - 12 - 02);
        let form = FilingForm {
            business_name: a.clone(),
            business_credit_code: b.clone(),
            amount_paid: c.clone(),
            incident_on: d.clone(),
            consumer_phone: e.clone(),
            evidence: f.clone(),
            ..super::filing::sample_complaint("2026-12-01", "fuzz-key-0123456789")
        };
        let _ = form.parse_all(today);
        let _ = form.parse_intake("phone", today);
        let params = QueueParams { state: a, kind: b, from: c, to: d, due: e, after: f, ..Default::default() };
        let _ = params.parse();
    }

    #[test]
    fn valid_values_read_back_as_themselves(
        year in 2000i32..2100, seq in 1i64..1_000_000, fen in 0i64..(Fen::MAX_YUAN * 100),
        phone in "1[3-9][0-9]{9}", code in "[2-9A-HJKMNP-Z]{8}",
    ) {
        let no = CaseNo::new(year, seq);
        prop_assert_eq!(CaseNo::parse(&no.as_str().to_ascii_lowercase()), Ok(no.clone()));
        let typed = format!("{}.{:02}", fen / 100, fen % 100);
        prop_assert_eq!(Fen::parse_yuan(&typed), Ok(Fen(fen)));
        let spaced = format!("{} {}-{}", &phone[..3], &phone[3..7], &phone[7..]);
        prop_assert_eq!(Phone::parse(&spaced).map(|p| p.as_str().to_owned()), Ok(phone));
        let dashed = format!("{}-{}", &code[..4].to_ascii_lowercase(), &code[4..]);
        prop_assert_eq!(QueryCode::parse(&dashed).map(|q| q.as_str().to_owned()), Ok(code));
    }
}
