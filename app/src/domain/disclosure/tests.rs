use super::*;
use crate::domain::filing::sample_complaint;
use crate::domain::kind::ItemKind;
use time::macros::date;

fn case(consent: bool) -> CaseForCreate {
    let mut f = sample_complaint("2026-05-02", "k");
    f.facts = "我叫张三，电话13812341234，在西宁市城西区胜利路8号买的洗衣机坏了。".into();
    f.demand_text = "退货退款，联系我13812341234".into();
    f.consent_publish = if consent { "yes".into() } else { String::new() };
    f.parse_all(date!(2026 - 05 - 02)).unwrap()
}

fn known() -> Known {
    Known {
        names: vec!["张三".into()],
        phones: vec!["13812341234".into()],
        addresses: vec!["西宁市城西区胜利路8号".into()],
        numbers: vec![],
    }
}

#[test]
fn the_rules_are_data_with_their_source_and_not_verified() {
    let r = rules();
    assert!(!r.verified, "a reading of secondary sources stays unverified");
    assert!(r.source.contains("未核对"));
    assert_eq!(r.window_months, 12);
    assert_eq!(r.kinds, ["complaint"]);
}

#[test]
fn names_typed_differently_group_under_one_key() {
    let a = business_key("西宁 某某电器有限责任公司", None, "630102");
    let b = business_key("西宁某某电器有限公司", None, "630102");
    let c = business_key("西宁某某电器（ＡＢＣ）有限公司", None, "630102");
    let d = business_key("西宁某某电器(abc)有限公司", None, "630102");
    assert_eq!(a, b);
    assert_eq!(c, d);
    assert!(is_named(&a));
    assert_ne!(a, business_key("西宁某某电器有限公司", None, "630103"), "the county is part of the key");
    assert_eq!(business_key("whatever", Some("91630100MA752XXXXX"), "630102"), "91630100MA752XXXXX");
}

#[test]
fn a_closed_complaint_is_disclosed_without_personal_data() {
    let c = case(true);
    let d =
        disclose(&c, date!(2026 - 05 - 02), date!(2026 - 06 - 10), Handling::Mediated, Some(29990), &known()).unwrap();
    assert_eq!(d.complainant, "张**");
    assert_eq!((d.complained.as_str(), d.handled.as_str()), ("2026-05", "2026-06"));
    assert_eq!(d.arose.as_deref(), Some("2026-05"));
    assert_eq!(d.county, "630102");
    let shown = serde_json::to_string(&d).unwrap();
    for secret in ["张三", "13812341234", "胜利路8号"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(d.issue.as_deref().unwrap().contains("洗衣机坏了"));
    assert_eq!(d.demand.as_deref(), Some("refund"));
    assert_eq!(d.recovered_fen, Some(29990));
}

#[test]
fn without_consent_the_consumers_words_stay_out() {
    let d =
        disclose(&case(false), date!(2026 - 05 - 02), date!(2026 - 05 - 20), Handling::Refused, Some(100), &known())
            .unwrap();
    assert_eq!((d.issue, d.request), (None, None));
    assert_eq!(d.demand.as_deref(), Some("refund"), "the kind of request is not the consumer's words");
    assert_eq!(d.recovered_fen, None, "nothing recovered without a settlement");
}

#[test]
fn a_report_or_a_consultation_is_never_disclosed() {
    for kind in [ItemKind::Report, ItemKind::Consultation] {
        let mut c = case(true);
        c.kind = kind;
        assert!(disclose(&c, date!(2026 - 05 - 02), date!(2026 - 05 - 03), Handling::Closed, None, &known()).is_none());
    }
}

#[test]
fn the_last_concluding_step_says_how_it_was_handled() {
    use ActionName::*;
    assert_eq!(Handling::of(&[Accept, TerminateMediation]), Handling::MediationEnded);
    assert_eq!(Handling::of(&[OdrOffer, AcceptOffer]), Handling::SettledByBusiness);
    assert_eq!(Handling::of(&[Accept, TerminateMediation, ToBureau, RecordSettlement]), Handling::Mediated);
    assert_eq!(Handling::of(&[Refuse]), Handling::Refused);
    assert_eq!(Handling::of(&[Withdraw]), Handling::Closed);
}

#[test]
fn figures_cover_the_window_and_compare_with_the_one_before() {
    let m = |received, accepted, concluded, settled, odr_concluded, odr_settled| Measures {
        received,
        accepted,
        concluded,
        settled,
        odr_concluded,
        odr_settled,
        ..Default::default()
    };
    let rows = vec![
        BusinessMonth { month: "2026-12".into(), category: "G05".into(), m: m(3, 2, 2, 1, 0, 0) },
        BusinessMonth { month: "2026-01".into(), category: "S01".into(), m: m(1, 1, 0, 0, 1, 1) },
        // Before the window: counted only as the earlier year.
        BusinessMonth { month: "2025-12".into(), category: "G05".into(), m: m(2, 2, 2, 2, 0, 0) },
        // Older still: ignored.
        BusinessMonth { month: "2024-12".into(), category: "G05".into(), m: m(9, 9, 9, 9, 0, 0) },
    ];
    let days = vec![("2026-12".into(), 10, 1), ("2026-01".into(), 30, 2), ("2025-12".into(), 99, 5)];
    let f = figures(&rows, &days, date!(2026 - 12 - 07));
    assert_eq!((f.from.as_str(), f.to.as_str()), ("2026-01", "2026-12"));
    assert_eq!((f.complaints, f.before), (4, 2));
    assert_eq!(f.growth, Some(1.0));
    assert_eq!((f.accepted, f.settled), (3, 2));
    assert_eq!(f.mediation_rate, Some(0.5));
    assert_eq!(f.odr_rate, Some(1.0));
    assert_eq!(f.median_days, Some(30.0));
    assert_eq!(f.monthly.len(), 12);
    assert_eq!(f.monthly.first(), Some(&("2026-01".to_string(), 1)));
    assert_eq!(f.monthly.last(), Some(&("2026-12".to_string(), 3)));
    assert_eq!(f.top_categories, vec![("G05".to_string(), 3), ("S01".to_string(), 1)]);
}

#[test]
fn hot_goods_are_counted_per_prefecture() {
    let rows = vec![
        ("630102".to_string(), "G05".to_string(), 3),
        ("630103".to_string(), "G05".to_string(), 2),
        ("630121".to_string(), "S01".to_string(), 4),
        ("632801".to_string(), "G01".to_string(), 1),
        ("110101".to_string(), "G01".to_string(), 9),
    ];
    let hot = hot_by_prefecture(&rows, 1);
    assert_eq!(
        hot,
        vec![
            ("630100".to_string(), vec![("G05".to_string(), 5)]),
            ("632800".to_string(), vec![("G01".to_string(), 1)])
        ]
    );
}

#[test]
fn a_search_is_checked_field_by_field() {
    let s = parse_search(" 西宁 某某 ", "630102", "G05").unwrap();
    assert_eq!(
        (s.norm.as_str(), s.county.as_deref(), s.category.as_deref()),
        ("西宁某某", Some("630102"), Some("G05"))
    );
    let errors = parse_search(&"很".repeat(101), "999999", "R01").unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["q", "county", "category"]);
    assert!(parse_search("", "", "").is_ok(), "an empty search lists the most complained-of");
}

#[test]
fn a_key_is_a_credit_code_or_a_named_key() {
    let code = crate::domain::credit_code::CreditCode::with_check("91630100MA752XXXX").unwrap();
    assert!(valid_key(code.as_str()));
    assert!(valid_key(&business_key("某某电器", None, "630102")));
    let last = code.as_str().chars().last().unwrap();
    let wrong = format!("{}{}", &code.as_str()[..17], if last == '0' { '1' } else { '0' });
    assert!(!valid_key(&wrong), "a wrong check character");
    assert!(!valid_key(&code.as_str().to_ascii_lowercase()), "the key as stored, upper case");
    assert!(!valid_key("n:"));
}

#[test]
fn a_listing_is_checked_field_by_field() {
    let l = parse_listing("630102", "G05", "", "2026-01", "2026-12", "41", "50").unwrap();
    assert_eq!(l.county.as_deref(), Some("630102"));
    assert_eq!(
        (l.from.as_deref(), l.to.as_deref(), l.before, l.limit),
        (Some("2026-01"), Some("2026-12"), Some(41), 50)
    );
    assert_eq!(parse_listing("", "", "", "", "", "", "").unwrap().limit, LIST_DEFAULT);
    let errors = parse_listing("1", "R01", "n:", "2026-13", "26-01", "x", "101").unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["county", "category", "business", "from", "to", "cursor", "limit"]);
    assert!(parse_listing("", "", "", "", "", "", "0").is_err());
}
