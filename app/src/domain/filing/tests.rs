//! The filing form's steps, fields and intake, checked.

use super::*;
use crate::domain::rules;
use time::macros::date;

fn today() -> Date {
    date!(2026 - 11 - 28)
}

fn rs() -> &'static RuleSet {
    rules::in_force_on(today())
}

fn complete() -> FilingForm {
    FilingForm { consent_publish: "on".into(), ..super::sample_complaint("2026-11-20", "k1") }
}

#[test]
fn a_complete_form_parses_into_a_case() {
    let c = complete().parse_all(today()).unwrap();
    assert_eq!(c.kind, ItemKind::Complaint);
    assert!(c.consent_publish);
}

#[test]
fn each_step_reports_only_its_own_fields() {
    let mut f = FilingForm { kind: "complaint".into(), ..Default::default() };
    assert_eq!(f.check_step(Step::Kind, today()), vec![]);
    let business: Vec<_> = f.check_step(Step::Business, today()).into_iter().map(|e| e.field).collect();
    assert_eq!(business, ["business_name", "business_address", "business_county"]);
    f.facts = "短".into();
    let incident: Vec<_> = f.check_step(Step::Incident, today()).into_iter().map(|e| e.field).collect();
    assert_eq!(incident, ["category", "incident_on", "demand", "facts"]);
}

#[test]
fn scope_answers_are_required_and_a_wrong_one_names_its_ground() {
    let f = FilingForm { kind: "complaint".into(), ..Default::default() };
    assert_eq!(f.check_step(Step::Scope, today()).len(), 4);
    let mut f = complete();
    assert_eq!(f.scope_stop(rs()), None);
    f.other_body = "yes".into();
    assert_eq!(f.scope_stop(rs()), Some(ScopeStop { question: "other_body", ground: 2 }));
    f.personal_use = "no".into();
    assert_eq!(f.scope_stop(rs()), Some(ScopeStop { question: "personal_use", ground: 3 }));
    f.personal_use = "maybe".into();
    assert_eq!(f.check_step(Step::Scope, today()), vec![FieldError::new("personal_use", Invalid::Choice)]);
}

#[test]
fn a_complaint_likely_out_of_scope_may_still_be_filed() {
    let mut f = complete();
    f.within_limitation = "no".into();
    assert_eq!(f.scope_stop(rs()), Some(ScopeStop { question: "within_limitation", ground: 4 }));
    assert_eq!(f.check_step(Step::Kind, today()), vec![]);
    assert!(f.parse_all(today()).is_ok());
    assert_eq!(f.limitation_passed(today(), rs()), None);
    f.incident_on = "2020-01-01".into();
    assert_eq!(f.limitation_passed(today(), rs()), Some(4));
    assert!(f.parse_all(today()).is_ok());
    f.kind = "report".into();
    f.category = "R02".into();
    assert_eq!(f.limitation_passed(today(), rs()), None, "reports have no three-year rule");
    assert!(f.parse_all(today()).is_ok());
}

#[test]
fn the_steps_follow_each_other_and_fields_map_back_to_their_step() {
    let walk = |f: &FilingForm| {
        let mut s = f.step();
        let mut seen = vec![s];
        while s != Step::Review {
            s = f.next(s);
            seen.push(s);
        }
        seen
    };
    let f = FilingForm { kind: "complaint".into(), ..Default::default() };
    assert_eq!(walk(&f), Step::ALL);
    assert_eq!(f.next(Step::Kind), Step::Scope);
    assert_eq!(f.prev(Step::Business), Step::Scope);
    assert_eq!(f.progress(Step::Business), (3, 7));
    assert_eq!(step_of("consumer_phone"), Step::Contact);
    assert_eq!(step_of("facts"), Step::Incident);
    assert_eq!(step_of("other_body"), Step::Scope);
}

#[test]
fn a_report_or_a_consultation_is_not_asked_the_complaint_questions() {
    for kind in ["report", "consultation"] {
        let f = FilingForm { kind: kind.into(), step: "scope".into(), ..Default::default() };
        assert_eq!(f.step(), Step::Kind, "a scope step posted for a {kind} is the kind step");
        assert_eq!(f.next(Step::Kind), Step::Business);
        assert_eq!(f.prev(Step::Business), Step::Kind);
        assert!(!f.steps().contains(&Step::Scope));
        assert_eq!(f.progress(Step::Business), (2, 6));
        assert_eq!(f.check_step(Step::Scope, today()), vec![]);
    }
    // A report posted without the scope answers files as it is.
    let mut f = complete();
    for q in SCOPE_QUESTIONS {
        set_field(&mut f, q, String::new());
    }
    let errs: Vec<_> = f.parse_all(today()).unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(errs, SCOPE_QUESTIONS, "a complaint still needs them");
    f.kind = "report".into();
    f.category = "R02".into();
    f.demand = String::new();
    assert_eq!(f.parse_all(today()).map(|c| c.kind), Ok(ItemKind::Report));
    // A report's answers given before the kind changed are no reason to stop it.
    f.other_body = "yes".into();
    assert_eq!(f.scope_stop(rs()), None);
}

#[test]
fn a_complaint_may_bring_a_linked_report_with_its_own_topic() {
    let mut f = complete();
    assert_eq!(f.linked_report(today()), Ok(None));
    f.also_report = "on".into();
    let errs: Vec<_> = f.check_step(Step::Incident, today()).into_iter().map(|e| e.field).collect();
    assert_eq!(errs, ["report_category"]);
    f.report_category = "G01".into();
    assert_eq!(f.check_step(Step::Incident, today()), vec![FieldError::new("report_category", Invalid::Choice)]);
    f.report_category = "R07".into();
    let report = f.linked_report(today()).unwrap().unwrap();
    assert_eq!((report.kind, report.category.as_str(), report.demand), (ItemKind::Report, "R07", None));
    assert_eq!(report.facts, f.parse_all(today()).unwrap().facts);
    // Only a complaint brings a report along.
    f.kind = "consultation".into();
    assert_eq!(f.linked_report(today()), Ok(None));
}

#[test]
fn an_unknown_step_starts_at_the_kind() {
    let f = FilingForm { step: "nonsense".into(), ..Default::default() };
    assert_eq!(f.step(), Step::Kind);
}

#[test]
fn every_field_can_be_set_and_read_back() {
    let mut f = FilingForm::default();
    for (i, name) in all_fields().enumerate() {
        set_field(&mut f, name, format!("v{i}"));
    }
    for (i, name) in all_fields().enumerate() {
        assert_eq!(get_field(&f, name), format!("v{i}"), "{name}");
    }
    assert_eq!(all_fields().count(), 32);
}

#[test]
fn staff_register_items_under_the_channel_they_came_by() {
    let today = time::macros::date!(2026 - 11 - 20);
    let form = sample_complaint("2026-11-19", "k");
    let case = form.parse_intake("phone", today).unwrap();
    assert_eq!(case.channel, Channel::Phone);
    // The online channel is not for staff, and the same field checks apply.
    assert_eq!(form.parse_intake("web", today).unwrap_err(), vec![FieldError::new("channel", Invalid::Choice)]);
    let bad = FilingForm { consumer_phone: "123".into(), ..form.clone() };
    let errs = bad.parse_intake("", today).unwrap_err();
    let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["channel", "consumer_phone"]);
}

#[test]
fn a_business_picked_from_the_register_names_it_as_registered() {
    let entry = crate::domain::business::PublicEntry {
        credit_code: "91630102MA0000000X".into(),
        name: "西宁诚信商贸有限公司".into(),
        address: "西宁市城东区八一路1号".into(),
        county: "630102".into(),
        member: true,
    };
    let mut f = FilingForm { business_name: "诚信".into(), business_platform: "某平台".into(), ..complete() };
    f.take_business(&entry);
    assert_eq!(
        (
            f.business_name.as_str(),
            f.business_credit_code.as_str(),
            f.business_address.as_str(),
            f.business_county.as_str()
        ),
        ("西宁诚信商贸有限公司", "91630102MA0000000X", "西宁市城东区八一路1号", "630102")
    );
    assert_eq!(f.business_platform, "某平台", "what the register does not know stays as typed");
}
