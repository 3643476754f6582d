//! The ODR lane on both databases: a complaint about a member goes to the business with the
//! consumer's consent, the business sees only its own lane and answers, the consumer says yes
//! (settled by the business) or the complaint goes on to the bureau; the pass-on at the end of
//! the period happens once however many servers sweep; the register's import and suspensions.

use app::domain::business::{BusinessForm, MembershipChange};
use app::domain::credit_code::CreditCode;
use app::domain::notify::{Audience, NoticeKind};
use app::domain::staff::{Staff, Username};
use app::domain::workflow::{ActionName, CaseState, Role};
use app::error::AppError;
use app::service::{odr, register};
use std::sync::Arc;

fn supervisor() -> Staff {
    Staff::new(Username::parse("odr-super").unwrap(), Role::Supervisor, None).unwrap()
}

fn code(n: u32) -> String {
    CreditCode::with_check(&format!("91630102MA{n:07}")).unwrap().as_str().to_owned()
}

fn entry(credit_code: &str, join: bool) -> BusinessForm {
    BusinessForm {
        credit_code: credit_code.into(),
        name: format!("西宁示例商贸有限公司{}", &credit_code[10..17]),
        address: "西宁市城东区八一路1号".into(),
        county: "630102".into(),
        odr: if join { "join".into() } else { String::new() },
        email: format!("odr-{}@shop.example.cn", &credit_code[10..17]),
        ..Default::default()
    }
}

fn services(store: Arc<dyn app::ports::Store>) -> app::Services {
    crate::common::app_state(store, false).services
}

/// Files the sample complaint online about the business `credit_code`, answering the ODR
/// question with `odr`; the case number, or the refusal.
async fn file(services: &app::Services, credit_code: &str, odr: &str, n: u32) -> Result<String, AppError> {
    let now = time::OffsetDateTime::now_utc();
    let today = app::domain::calendar::format_date(app::domain::clock::china_date(now));
    let form = app::domain::filing::FilingForm {
        business_credit_code: credit_code.into(),
        odr: odr.into(),
        consumer_phone: format!("1391234{n:04}"),
        ..app::domain::filing::sample_complaint(&today, &format!("odr-filing-key-{n:08}"))
    };
    let client = format!("10.7.{}.{}", n / 200, n % 200);
    app::service::filing::file_online(services, &form, &client, app::i18n::Lang::Zh, now).await.map(|(no, _)| no)
}

async fn business_account(services: &app::Services, user: &str, credit_code: &str) -> Staff {
    let now = time::OffsetDateTime::now_utc();
    register::set_account(services, Some(&supervisor()), user, credit_code, now).await.unwrap();
    services.staff.staff_get(user).await.unwrap().unwrap().staff
}

fn no(s: &str) -> app::domain::case::CaseNo {
    app::domain::case::CaseNo::parse(s).unwrap()
}

async fn a_complaint_goes_to_the_member_the_consumer_chose_and_is_settled_there(store: Arc<dyn app::ports::Store>) {
    let services = services(store.clone());
    let now = time::OffsetDateTime::now_utc();
    let (shop, other) = (code(1), code(2));
    register::add(&services, &supervisor(), &entry(&shop, true), now).await.unwrap();
    register::add(&services, &supervisor(), &entry(&other, true), now).await.unwrap();
    // Asked, the question must be answered; a no goes to the bureau as before.
    match file(&services, &shop, "", 1).await {
        Err(AppError::Invalid(errs)) => assert_eq!(errs[0].field, "odr"),
        other => panic!("{other:?}"),
    }
    let to_bureau = file(&services, &shop, "no", 2).await.unwrap();
    let c = store.get(&no(&to_bureau)).await.unwrap().unwrap();
    assert_eq!((c.state, c.odr_business), (CaseState::Received, None));

    let lane = file(&services, &shop, "yes", 3).await.unwrap();
    let c = store.get(&no(&lane)).await.unwrap().unwrap();
    assert_eq!((c.state, c.odr_business.as_deref()), (CaseState::WithBusiness, Some(shop.as_str())));

    let mine = business_account(&services, "shop-desk", &shop).await;
    let theirs = business_account(&services, "other-desk", &other).await;
    let q = odr::queue(&services, &mine, now).await.unwrap();
    assert_eq!(q.lines.iter().map(|l| l.case_no.as_str()).collect::<Vec<_>>(), [lane.as_str()]);
    assert_eq!(q.lines[0].due_on.is_some(), true, "the business's period runs");
    assert!(odr::queue(&services, &theirs, now).await.unwrap().lines.is_empty(), "never another business's");
    assert!(matches!(odr::case_view(&services, &theirs, &no(&lane), now).await, Err(AppError::NotFound)));
    assert!(matches!(odr::case_view(&services, &mine, &no(&to_bureau), now).await, Err(AppError::NotFound)));
    // Staff functions refuse a business account.
    assert!(matches!(app::service::queue::scope(&mine), Err(AppError::Forbidden)));

    let view = odr::case_view(&services, &mine, &no(&lane), now).await.unwrap();
    assert!(view.can_answer && view.consumer_phone == "13912340003", "the phone in full while negotiating");
    let offer = app::domain::actions::ActionForm {
        action: "odr_offer".into(),
        remedy: "refund".into(),
        recovered: "2999.50".into(),
        text: "同意全额退款，三日内原路退回".into(),
        version: view.version.to_string(),
        ..Default::default()
    };
    let stolen = odr::answer(&services, &theirs, &no(&lane), &offer, now).await;
    assert!(matches!(stolen, Err(AppError::NotFound)));
    let c = odr::answer(&services, &mine, &no(&lane), &offer, now).await.unwrap();
    assert_eq!((c.state, c.odr_offer.map(|f| f.0)), (CaseState::BusinessOffered, Some(299_950)));
    // The consumer is told of the offer, on the case's contact.
    let told = store.notices_of(&no(&lane)).await.unwrap();
    assert!(told.iter().any(|n| n.kind == NoticeKind::OdrOffer && n.recipient == "13912340003"), "{told:?}");
    let c = odr::decide(&services, &no(&lane), true, "", now).await.unwrap();
    assert_eq!((c.state, c.amount_recovered.map(|f| f.0)), (CaseState::Closed, Some(299_950)));
    let after = odr::case_view(&services, &mine, &no(&lane), now).await.unwrap();
    assert!(!after.can_answer && after.consumer_phone.contains('*'), "masked once it is over");
    let audit = store.audit_recent(50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "business_view_case" && e.subject.as_deref() == Some(lane.as_str())));

    // A refusal by the business, and a consumer's no: both to the bureau, its period afresh.
    let declined = file(&services, &shop, "yes", 4).await.unwrap();
    let v = odr::case_view(&services, &mine, &no(&declined), now).await.unwrap();
    let decline = app::domain::actions::ActionForm {
        action: "odr_decline".into(),
        text: "商品已超过保修期，不同意退款".into(),
        version: v.version.to_string(),
        ..Default::default()
    };
    let c = odr::answer(&services, &mine, &no(&declined), &decline, now).await.unwrap();
    assert_eq!(c.state, CaseState::Received);
    let refused = file(&services, &shop, "yes", 5).await.unwrap();
    let v = odr::case_view(&services, &mine, &no(&refused), now).await.unwrap();
    odr::answer(
        &services,
        &mine,
        &no(&refused),
        &app::domain::actions::ActionForm { version: v.version.to_string(), ..offer.clone() },
        now,
    )
    .await
    .unwrap();
    let c = odr::decide(&services, &no(&refused), false, "退款金额不够", now).await.unwrap();
    assert_eq!(c.state, CaseState::Received);
    let events = store.events(&no(&refused)).await.unwrap();
    assert_eq!(events.last().unwrap().action, ActionName::RejectOffer);
    // A business takes no staff step.
    assert!(app::service::console::act(
        &services,
        &mine,
        &no(&refused),
        &app::domain::actions::ActionForm {
            action: "accept".into(),
            version: c.version.to_string(),
            ..Default::default()
        },
        now
    )
    .await
    .is_err());
}

async fn a_suspended_members_new_complaints_go_to_the_bureau(store: Arc<dyn app::ports::Store>) {
    let services = services(store.clone());
    let now = time::OffsetDateTime::now_utc();
    let shop = code(3);
    register::add(&services, &supervisor(), &entry(&shop, true), now).await.unwrap();
    register::decide(&services, &supervisor(), &shop, MembershipChange::Suspend, now).await.unwrap();
    // The same decision twice: the second finds the entry suspended already.
    let again = register::decide(&services, &supervisor(), &shop, MembershipChange::Suspend, now).await;
    assert!(matches!(again, Err(AppError::Invalid(_))));
    let case = file(&services, &shop, "yes", 6).await.unwrap();
    let c = store.get(&no(&case)).await.unwrap().unwrap();
    assert_eq!((c.state, c.odr_business), (CaseState::Received, None));
    let history = store.business_history(&shop).await.unwrap();
    let changes: Vec<_> = history.iter().map(|h| (h.change, h.bureau.as_str())).collect();
    assert_eq!(changes, [(MembershipChange::Join, "630000"), (MembershipChange::Suspend, "630000")]);
    // A handler of another county keeps none of this county's entries.
    let far = Staff::new(Username::parse("far-handler").unwrap(), Role::Handler, Some("632801".into())).unwrap();
    let refused = register::decide(&services, &far, &shop, MembershipChange::Reinstate, now).await;
    assert!(matches!(refused, Err(AppError::Forbidden)));
    assert!(matches!(register::add(&services, &far, &entry(&code(4), false), now).await, Err(AppError::Forbidden)));
}

async fn the_pass_on_happens_once_however_many_servers_sweep(store: Arc<dyn app::ports::Store>) {
    let a = services(store.clone());
    let b = services(store.clone());
    let now = time::OffsetDateTime::now_utc();
    let shop = code(5);
    register::add(&a, &supervisor(), &entry(&shop, true), now).await.unwrap();
    let cases = [file(&a, &shop, "yes", 7).await.unwrap(), file(&a, &shop, "yes", 8).await.unwrap()];
    assert_eq!(odr::pass_on_due(&a, now).await.unwrap(), odr::Swept::default(), "not before the period ends");
    // The business was told of each new complaint by e-mail, at the register's address.
    let mails = |case: &str| {
        let store = store.clone();
        let case = no(case);
        async move {
            let kinds: Vec<(NoticeKind, String)> =
                store.notices_of(&case).await.unwrap().into_iter().map(|n| (n.kind, n.recipient)).collect();
            kinds.into_iter().filter(|(k, _)| k.audience() == Audience::Business).collect::<Vec<_>>()
        }
    };
    let address = format!("odr-{}@shop.example.cn", &shop[10..17]);
    assert_eq!(mails(&cases[0]).await, [(NoticeKind::BusinessNew, address.clone())]);
    // On the reminder's day (2 working days before the last one), both servers sweep: one
    // reminder per complaint, and nothing passes on yet.
    let c = store.get(&no(&cases[0])).await.unwrap().unwrap();
    let cal = app::domain::calendar::WorkCalendar::china();
    let steps = app::service::step::steps_of(&store.events(&no(&cases[0])).await.unwrap());
    let urgency = c.urgency(c.state, &steps, c.rules().unwrap(), cal);
    let app::domain::queue::Urgency::Due(due) = urgency else { panic!("{urgency:?}") };
    let remind_on = app::domain::odr::reminder_day(due, 2, cal);
    let at = |day: time::Date| day.with_hms(10, 0, 0).unwrap().assume_offset(time::macros::offset!(+8));
    let (x, y) = tokio::join!(odr::pass_on_due(&a, at(remind_on)), odr::pass_on_due(&b, at(remind_on)));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!((x.passed + y.passed, x.reminded + y.reminded), (0, 2), "{x:?} {y:?}");
    let again = odr::pass_on_due(&a, at(remind_on + time::Duration::days(1))).await.unwrap();
    assert_eq!(again.reminded, 0, "a complaint's business is reminded once");
    assert_eq!(
        mails(&cases[1]).await,
        [(NoticeKind::BusinessNew, address.clone()), (NoticeKind::BusinessDue, address)]
    );
    // Three weeks on, every working day of the period has passed (whatever the holidays).
    let later = now + time::Duration::days(21);
    let (x, y) = tokio::join!(odr::pass_on_due(&a, later), odr::pass_on_due(&b, later));
    assert_eq!(x.unwrap().passed + y.unwrap().passed, 2, "each case passed by one server");
    for case in &cases {
        let events = store.events(&no(case)).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.action == ActionName::PassOn).count(), 1, "{case}");
        assert_eq!(events.last().unwrap().to_state, CaseState::Received);
        // The consumer is told the complaint went on to the bureau.
        let told: Vec<NoticeKind> = store.notices_of(&no(case)).await.unwrap().into_iter().map(|n| n.kind).collect();
        assert!(told.contains(&NoticeKind::OdrPassed), "{told:?}");
    }
    assert_eq!(odr::pass_on_due(&a, later).await.unwrap(), odr::Swept::default());
}

async fn an_import_refuses_a_bad_credit_code_with_its_line_number(store: Arc<dyn app::ports::Store>) {
    let services = services(store.clone());
    let now = time::OffsetDateTime::now_utc();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.csv");
    let good = code(6);
    let mut bad = code(7);
    bad.replace_range(17.., if bad.ends_with('1') { "2" } else { "1" });
    std::fs::write(
        &file,
        format!(
            "credit_code,name,address,county,odr\n{good},西宁甲商店,\"西宁市城中区,1号\",630103,join\n{bad},西宁乙商店,西宁市城中区2号,630103,\n"
        ),
    )
    .unwrap();
    let lines = server::cli::read_business_csv(file.to_str().unwrap()).unwrap();
    match register::import(&services, &lines, "630103", now).await {
        Err(Ok(errs)) => {
            assert_eq!(errs.len(), 1);
            assert_eq!((errs[0].0, errs[0].1[0].field.as_str()), (3, "credit_code"));
        }
        other => panic!("{other:?}"),
    }
    assert!(store.business_get(&good).await.unwrap().is_none(), "nothing written from a list with a bad line");
    let lines: Vec<_> = lines.into_iter().take(1).collect();
    assert_eq!(register::import(&services, &lines, "630103", now).await.ok(), Some((1, 1)));
    let b = store.business_get(&good).await.unwrap().unwrap();
    assert_eq!((b.odr, b.address.as_str()), (app::domain::business::OdrStatus::Joined, "西宁市城中区,1号"));
    assert_eq!(store.business_search("甲商", None, 10).await.unwrap().len(), 1);
    assert_eq!(store.business_search(&good[..8], Some("630103"), 10).await.unwrap().len(), 1);
}

async fn a_settlement_that_did_not_solve_it_goes_to_the_bureau_and_the_lane_is_counted(
    store: Arc<dyn app::ports::Store>,
) {
    use app::domain::stats::{Figures, Period};
    use app::domain::tracking::RatingForm;
    use app::service::track::{self, ConsumerStep};
    let services = services(store.clone());
    let now = time::OffsetDateTime::now_utc();
    let shop = code(8);
    register::add(&services, &supervisor(), &entry(&shop, true), now).await.unwrap();
    let mine = business_account(&services, "shop-eight", &shop).await;
    let (settled, passed) =
        (file(&services, &shop, "yes", 20).await.unwrap(), file(&services, &shop, "yes", 21).await.unwrap());
    let offer = |v: i64| app::domain::actions::ActionForm {
        action: "odr_offer".into(),
        version: v.to_string(),
        remedy: "compensation".into(),
        recovered: "120".into(),
        text: "赔偿120元".into(),
        ..Default::default()
    };
    odr::answer(&services, &mine, &no(&settled), &offer(1), now).await.unwrap();
    // Not the way to the bureau before a closure, nor before the consumer's verdict.
    assert!(matches!(odr::to_bureau(&services, &no(&settled), now).await, Err(AppError::Workflow(_))));
    odr::decide(&services, &no(&settled), true, "", now).await.unwrap();
    assert!(matches!(odr::to_bureau(&services, &no(&settled), now).await, Err(AppError::Workflow(_))));
    let rate = |outcome: &str| {
        ConsumerStep::Rate(RatingForm {
            process: "2".into(), outcome: outcome.into(), comment: "退款没到账".into()
        })
    };
    track::consumer_act(&services, &no(&settled), &rate("partly"), now).await.unwrap();
    assert!(
        matches!(odr::to_bureau(&services, &no(&settled), now).await, Err(AppError::Workflow(_))),
        "partly is not no"
    );
    let view = track::view(&services, &no(&settled), now).await.unwrap().unwrap();
    assert!(!view.allowed.to_bureau);
    // The verdict changed to "not solved" (within the rating's window): now the way is open.
    track::consumer_act(&services, &no(&settled), &rate("not_resolved"), now).await.unwrap();
    let view = track::view(&services, &no(&settled), now).await.unwrap().unwrap();
    assert!(view.allowed.to_bureau);
    let c = odr::to_bureau(&services, &no(&settled), now).await.unwrap();
    assert_eq!(c.state, CaseState::Received);
    // The other complaint: the business declines.
    let decline = app::domain::actions::ActionForm {
        action: "odr_decline".into(),
        version: "1".into(),
        text: "不同意".into(),
        ..Default::default()
    };
    odr::answer(&services, &mine, &no(&passed), &decline, now).await.unwrap();
    // The bureau's queue filtered to the lane lists these two, and nothing filed outside it.
    let outside = file(&services, &code(9), "", 22).await.unwrap();
    let params = app::domain::queue::QueueParams { lane: "odr".into(), state: "all".into(), ..Default::default() };
    let q = app::service::queue::page(&services, &supervisor(), &params, now).await.unwrap();
    let mut listed: Vec<&str> = q.lines.iter().map(|l| l.case_no.as_str()).collect();
    listed.sort();
    let mut want = [settled.as_str(), passed.as_str()];
    want.sort();
    assert_eq!(listed, want, "not {outside}");
    // The statistics: two negotiations ended, one settled by the business with its amount, and
    // the verdict (moved from partly to no) counted apart from satisfaction.
    let (rows, days) = store.stats_rows("2000-01", "2100-12").await.unwrap();
    let year = Period::containing("year", app::domain::clock::china_date(now));
    let t = Figures::compute(year, &rows, &days);
    let m = t.totals;
    assert_eq!((m.odr_concluded, m.odr_settled, m.recovered_fen), (2, 1, 12_000), "{m:?}");
    assert_eq!((m.rated, m.satisfied, m.solved, m.partly), (1, 0, 0, 0), "{m:?}");
    assert_eq!(t.median_odr_days, Some(0.0));
}

/// The filing form's look-up without JavaScript: "find" renders the business step with the
/// entries named like what was typed (in the county chosen), and an entry picked fills the
/// business in as registered; what the public sees of an entry leaves its e-mail out.
async fn a_consumer_picks_the_business_from_the_register_without_javascript(store: Arc<dyn app::ports::Store>) {
    let services = services(store.clone());
    let now = time::OffsetDateTime::now_utc();
    let (here, there) = (code(31), code(32));
    register::add(&services, &supervisor(), &entry(&here, true), now).await.unwrap();
    let elsewhere = BusinessForm { county: "632801".into(), ..entry(&there, false) };
    register::add(&services, &supervisor(), &elsewhere, now).await.unwrap();
    let found = register::find_for_filing(&services, "示例商贸", "", "").await.unwrap();
    let names: Vec<(&str, bool)> = found.iter().map(|e| (e.credit_code.as_str(), e.member)).collect();
    assert!(names.contains(&(here.as_str(), true)) && names.contains(&(there.as_str(), false)), "{names:?}");
    let in_county = register::find_for_filing(&services, "示例商贸", "", "632801").await.unwrap();
    assert!(in_county.iter().all(|e| e.county == "632801") && in_county.iter().any(|e| e.credit_code == there));
    assert!(register::find_for_filing(&services, "示", "", "").await.unwrap().is_empty(), "one character");
    assert!(register::find_for_filing(&services, "示例商贸", &here, "").await.unwrap().is_empty(), "named by code");
    assert!(!serde_json::to_string(&found).unwrap().contains("@shop.example.cn"), "no e-mail in public");

    let app =
        crate::common::App::new(crate::common::app_state(store.clone(), false), store, tempfile::tempdir().unwrap());
    let post = |pairs: Vec<(&str, String)>| {
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        axum::http::Request::post("/file")
            .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let name = format!("示例商贸有限公司{}", &here[10..17]);
    let business = |extra: (&'static str, String)| {
        vec![("step", "business".into()), ("kind", "complaint".into()), ("business_name", name.clone()), extra]
    };
    let r = crate::common::send(&app, post(business(("go", "lookup".into())))).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("经营者信息"), "the business step again");
    assert!(r.body.contains(&format!("name=\"pick\" value=\"{here}\"")), "the entry offered");
    assert!(r.body.contains("已加入ODR") && !r.body.contains(&there));
    let r = crate::common::send(&app, post(business(("pick", here.clone())))).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("经营者信息"), "the step again, to check what was filled");
    for filled in [here.as_str(), "西宁市城东区八一路1号", &format!("西宁示例商贸有限公司{}", &here[10..17])]
    {
        assert!(r.body.contains(&format!("value=\"{filled}\"")), "{filled}");
    }
    assert!(r.body.contains("value=\"630102\" selected"), "the county");
    // Nothing registered under a picked code: the form stays as typed.
    let r = crate::common::send(&app, post(business(("pick", code(33))))).await;
    assert_eq!(r.status, axum::http::StatusCode::OK);
    assert!(r.body.contains(&format!("value=\"{name}\"")) && !r.body.contains(&format!("value=\"{}\"", code(33))));
}

crate::on_both_databases!(
    a_consumer_picks_the_business_from_the_register_without_javascript,
    a_settlement_that_did_not_solve_it_goes_to_the_bureau_and_the_lane_is_counted,
    a_complaint_goes_to_the_member_the_consumer_chose_and_is_settled_there,
    a_suspended_members_new_complaints_go_to_the_bureau,
    the_pass_on_happens_once_however_many_servers_sweep,
    an_import_refuses_a_bad_credit_code_with_its_line_number,
);
