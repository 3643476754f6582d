//! The synthetic demonstration data set: a year of items at the scale of Qinghai's centre
//! (about 163,000), across channels, kinds, categories and prefectures, in realistic
//! proportions. Every step is taken through the workflow (`transition`) under the rule set of
//! its day, with the deadlines, statistics and urgency computed by the same code as real cases;
//! the result is written in batches (one transaction each). Generated reproducibly from a seed.
//! Every name and text says it is synthetic, and the database is marked so that every page
//! shows a banner.

use app::domain::business::{OdrStatus, RegisteredBusiness};
use app::domain::case::{CaseForCreate, CaseInput, CaseNo};
use app::domain::category;
use app::domain::clock::{china_date, unix_ms};
use app::domain::fields::Note;
use app::domain::kind::{Channel, ItemKind};
use app::domain::money::Fen;
use app::domain::party::BusinessInput;
use app::domain::region::prefectures;
use app::domain::rules;
use app::domain::tracking::{Rating, RatingOutcome};
use app::domain::workflow::{transition, Action, ActionName, Actor, MediationMethod, Role};
use app::error::AppError;
use app::ports::{CaseEvent, CaseStore, EventForCreate, ImportCase, ImportStep, NewCase, StoredCase};
use app::service;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Duration, OffsetDateTime};

mod odr;
mod pick;

use pick::weighted;

pub const DEMO_KEY: &str = "demo";
pub const DEMO_VALUE: &str = "synthetic";
const SEED: u64 = 12315;
/// Items in the demonstration year (Qinghai's centre took about 163,000 in a year).
pub const YEAR_ITEMS: usize = 163_000;
const BATCH: usize = 2_000;

/// What consumers complain about, per category: the facts of the synthetic items (and so the
/// words of the keyword cloud).
fn facts_for(code: &str, rng: &mut StdRng) -> &'static str {
    let options: &[&str] = match code {
        "G01" => &[
            "购买的食品已过保质期，商家拒绝退款",
            "在超市买的牛奶有异味，要求退货赔偿",
            "网购的牦牛肉干标注产地与实际不符",
        ],
        "G02" => &["新车交付后发现漆面有修补痕迹，经销商拒绝更换", "电动车电池续航远低于宣传，要求维修"],
        "G03" => &["网购的羽绒服充绒量不足，商家拒绝退货", "新买的皮鞋穿了三天开胶，要求退换"],
        "G05" => &[
            "购买的洗衣机使用一周后无法脱水，商家拒绝退换",
            "空调安装后不制冷，售后推诿不予维修",
            "冰箱噪音过大，要求更换",
        ],
        "G06" => &["新买的手机屏幕出现故障，售后拒绝保修", "手机充电器发热严重，要求退货"],
        "G08" => &["美容店推销的化妆品使用后皮肤过敏，要求赔偿", "网购的护肤品疑似假货，要求退款"],
        "G09" => &["药店销售的保健品虚假宣传疗效，要求退款", "助听器效果与宣传不符，要求退货"],
        "S01" => &["饭店菜品中吃出异物，要求赔偿", "预订的酒店房间与宣传不符，要求退还房费"],
        "S02" => &["美发店办理预付卡后门店关闭，要求退还余额", "美容项目效果与承诺不符，要求退费"],
        "S03" => &["培训机构停课后拒绝退还预付学费", "驾校收费后迟迟不安排练车，要求退费"],
        "S06" => &["旅行社擅自变更行程并强制购物，要求赔偿", "景区门票退票被收取高额手续费"],
        "S07" => &["宽带未经同意被续约并扣费，要求退费", "手机套餐被擅自变更，要求恢复并退费"],
        "S08" => &["网络平台自动续费会员未提示，要求退款", "直播间购买的商品与宣传不符，商家拒绝退货"],
        "S09" => &["装修公司工期拖延且使用劣质材料，要求赔偿", "物业公司收取不合理费用，要求退还"],
        "R01" => &["商家标价与结算价不一致，多收费用", "景区周边停车场乱收费"],
        "R03" => &["商家发布虚假广告夸大产品功效", "保健品宣传治疗疾病，涉嫌违法广告"],
        "R05" => &["无证无照经营的小作坊生产食品"],
        _ => &["商品存在质量问题，经营者拒绝退款", "服务与约定不符，经营者不予处理"],
    };
    options[rng.random_range(0..options.len())]
}

/// One synthetic item and its history, ready to store.
fn item(
    i: usize,
    received: OffsetDateTime,
    now: OffsetDateTime,
    rng: &mut StdRng,
    lane: &mut StdRng,
    register: &[RegisteredBusiness],
) -> Result<ImportCase, AppError> {
    let kind = weighted(rng, &[(42, ItemKind::Consultation), (48, ItemKind::Complaint), (10, ItemKind::Report)]);
    let channel = weighted(
        rng,
        &[
            (58, Channel::Phone),
            (30, Channel::Web),
            (6, Channel::VoiceMessage),
            (2, Channel::Letter),
            (4, Channel::WalkIn),
        ],
    );
    let cats: Vec<&category::Category> = category::for_kind(kind).collect();
    let popular = ["G01", "G05", "G06", "S01", "S03", "S08", "S07", "S02", "R01", "R02"];
    let weights: Vec<(u32, usize)> =
        cats.iter().enumerate().map(|(k, c)| (if popular.contains(&c.code.as_str()) { 6 } else { 1 }, k)).collect();
    let cat = cats[weighted(rng, &weights)];
    // Prefectures by population (Xining and Haidong hold most of Qinghai's people).
    let pref_weights = [40, 20, 5, 5, 8, 3, 6, 13];
    let pw: Vec<(u32, usize)> = pref_weights.iter().enumerate().map(|(k, w)| (*w, k)).collect();
    let pref = &prefectures()[weighted(rng, &pw)];
    let county = &pref.counties[rng.random_range(0..pref.counties.len())];
    let with_business = kind != ItemKind::Consultation || rng.random_bool(0.3);
    let named = if kind == ItemKind::Consultation { None } else { odr::named(lane) };
    let today = china_date(received);
    let rule_set = rules::in_force_on(today);
    // Amounts paid: most small, a few large (log-uniform from 20 to 5,000 yuan).
    let paid = (20.0f64 * 250f64.powf(rng.random::<f64>())).round() as i64 * 100;
    let input = CaseInput {
        kind: kind.code().into(),
        channel: channel.code().into(),
        category: cat.code.clone(),
        business: if let Some(k) = named {
            odr::business_input(&register[k])
        } else if with_business {
            BusinessInput {
                name: format!("演示商户{:05}（合成数据）", rng.random_range(1..20_000)),
                credit_code: String::new(),
                address: format!("{}演示路{}号（合成数据）", county.zh, rng.random_range(1..300)),
                county: county.code.clone(),
                ..Default::default()
            }
        } else {
            BusinessInput::default()
        },
        consumer_name: format!("演示用户{:06}", i + 1),
        consumer_phone: format!("139{:08}", rng.random_range(0..100_000_000u32)),
        consumer_address: format!("{}演示小区{}号楼（合成数据）", county.zh, rng.random_range(1..50)),
        // Every third report anonymous (without drawing from the generator, so the rest of the
        // data set stays as it was).
        anonymous: kind == ItemKind::Report && i % 3 == 0,
        incident_on: app::domain::calendar::format_date(today - Duration::days(rng.random_range(0..20))),
        amount_paid: if kind == ItemKind::Consultation { String::new() } else { Fen(paid).to_yuan_string() },
        order_no: String::new(),
        demand: if kind == ItemKind::Complaint { "refund".into() } else { String::new() },
        demand_text: String::new(),
        facts: format!("合成演示数据：{}。", facts_for(&cat.code, rng)),
        consent_publish: rng.random_bool(0.3),
        ..Default::default()
    };
    let case = CaseForCreate::parse(&input, today).map_err(|e| AppError::internal("demo data", format!("{e:?}")))?;
    let bureau = service::filing::starting_bureau(&case);
    // A complaint about a member of the ODR lane goes to the business first if the consumer agrees.
    let odr_business = named
        .filter(|k| *k < odr::MEMBERS && app::domain::odr::eligible(kind, Some(OdrStatus::Joined), rule_set))
        .filter(|_| odr::consents(lane))
        .map(|k| register[k].credit_code.as_str().to_owned());
    let first_state = app::ports::first_state(odr_business.as_deref());
    let first_urgency = app::domain::queue::urgency(
        kind,
        case.anonymous(),
        first_state,
        today,
        &[],
        rule_set,
        app::domain::calendar::WorkCalendar::china(),
    );
    let new = NewCase {
        stats: app::domain::stats::on_receipt(&service::step::dims_of(&case), today),
        rule_set: rule_set.id.clone(),
        bureau: bureau.clone(),
        received_at: unix_ms(received),
        received_on: today,
        urgency: first_urgency,
        // A code nobody holds: the synthetic items cannot be looked up.
        query_hash: service::codes::hash_query_code(
            &app::domain::case::QueryCode::from_random(rng.random()),
            rng.random(),
        ),
        idempotency_key: None,
        content_hash: String::new(),
        odr_business: odr_business.clone(),
        actor_role: if channel == Channel::Web { Role::Consumer } else { Role::IntakeOperator },
        actor_id: None,
        case: case.clone(),
        // Synthetic people are never sent a message.
        contacts: Vec::new(),
        notices: Vec::new(),
    };
    // The path the item takes, each step a number of days after the one before.
    let note = |t: &str| Note::parse(t).map_err(|_| AppError::internal("demo data", t));
    let mut plan: Vec<(Action, i64)> = Vec::new();
    match kind {
        ItemKind::Consultation => {
            plan.push((
                Action::Answer { answer: note("已告知消费者相关权利和办理途径（合成数据）")? },
                rng.random_range(0..3),
            ));
        }
        ItemKind::Report => {
            plan.push((Action::StartVerification, rng.random_range(1..10)));
            plan.push((Action::DecideReport { opened: rng.random_bool(0.3) }, rng.random_range(5..60)));
            plan.push((Action::Close, rng.random_range(1..5)));
        }
        ItemKind::Complaint => {
            if rng.random_bool(0.03) {
                let other = &prefectures()[rng.random_range(0..8)].code;
                if *other != bureau {
                    plan.push((Action::Transfer { to_bureau: other.clone() }, rng.random_range(0..3)));
                }
            }
            // Most decisions within the 7 working days; a few late.
            let decide = if rng.random_bool(0.97) { rng.random_range(0..9) } else { rng.random_range(10..16) };
            if rng.random_bool(0.05) {
                plan.push((Action::Refuse { ground: rng.random_range(1..=7) }, decide));
                plan.push((Action::Close, rng.random_range(0..3)));
            } else {
                plan.push((Action::Accept, decide));
                let method = weighted(rng, &[(6, MediationMethod::Phone), (3, MediationMethod::Online)]);
                plan.push((Action::StartMediation { method, on_site: None }, rng.random_range(0..5)));
                if rng.random_bool(0.03) {
                    plan.push((Action::PauseClock, rng.random_range(1..5)));
                    plan.push((Action::ResumeClock, rng.random_range(5..20)));
                }
                if rng.random_bool(0.78) {
                    let share = rng.random_range(30..=100);
                    plan.push((
                        Action::RecordSettlement {
                            recovered: Fen(paid * share / 100),
                            agreement: note("经调解，经营者同意退款（合成数据）")?,
                        },
                        rng.random_range(2..40),
                    ));
                } else {
                    plan.push((
                        Action::TerminateMediation { ground: weighted(rng, &[(3, 3), (5, 4), (2, 5)]) },
                        rng.random_range(5..45),
                    ));
                }
                plan.push((Action::Close, rng.random_range(0..3)));
            }
        }
    }
    let staff = Actor { role: Role::Supervisor, bureau: None, business: None };
    let mut steps_planned: Vec<(Actor, Action, i64)> = Vec::new();
    let mut settled_by_business = false;
    if let (Some(code), app::domain::queue::Urgency::Due(due)) = (&odr_business, first_urgency) {
        let (lane_steps, settled) = odr::path(lane, code, paid, today, due)?;
        steps_planned = lane_steps;
        settled_by_business = settled;
    }
    if !settled_by_business {
        steps_planned.extend(plan.into_iter().map(|(a, d)| (staff.clone(), a, d)));
    }
    let mut stored = StoredCase {
        case_no: CaseNo::new(today.year(), 1),
        kind,
        channel,
        state: first_state,
        rule_set: rule_set.id.clone(),
        bureau,
        clock_paused: false,
        received_at: unix_ms(received),
        received_on: today,
        amount_recovered: None,
        linked_case_no: None,
        odr_business,
        odr_offer: None,
        version: 1,
        content: case,
    };
    let mut events = vec![CaseEvent {
        seq: 1,
        at: unix_ms(received),
        actor_role: new.actor_role,
        actor_id: None,
        action: ActionName::Receive,
        from_state: None,
        to_state: first_state,
        ground: None,
        note: None,
        detail: None,
    }];
    let mut steps = Vec::new();
    let mut urgency = first_urgency;
    let mut at = received;
    for (actor, action, days) in steps_planned {
        at += Duration::days(days) + Duration::minutes(rng.random_range(10..300));
        if at > now {
            break;
        }
        let snapshot = stored.snapshot(service::step::steps_of(&events));
        let Ok(outcome) = transition(&snapshot, &actor, &action, rule_set) else { break };
        let (after, stats) = service::step::step_effects(&stored, &events, &outcome, action.name(), at)?;
        let event = EventForCreate {
            at: unix_ms(at),
            actor_role: actor.role,
            actor_id: matches!(actor.role, Role::Supervisor | Role::Business).then(|| "demo".into()),
            action: action.name(),
            note: None,
            detail: action.public_detail(),
            stats,
            notices: Vec::new(),
        };
        events.push(CaseEvent {
            seq: events.len() as i64 + 1,
            at: event.at,
            actor_role: event.actor_role,
            actor_id: event.actor_id.clone(),
            action: event.action,
            from_state: Some(stored.state),
            to_state: outcome.to,
            ground: outcome.ground,
            note: None,
            detail: event.detail.clone(),
        });
        steps.push(ImportStep { event, from: stored.state, to: outcome.to, ground: outcome.ground });
        stored.state = outcome.to;
        stored.bureau = outcome.bureau;
        stored.clock_paused = outcome.clock_paused;
        if outcome.recovered.is_some() {
            stored.amount_recovered = outcome.recovered;
        }
        if outcome.offer.is_some() {
            stored.odr_offer = outcome.offer;
        }
        stored.version += 1;
        urgency = after;
    }
    // Most people whose case closed rate it a couple of days later.
    let mut rating = None;
    if stored.state.is_ratable() && rng.random_bool(if kind == ItemKind::Complaint { 0.55 } else { 0.2 }) {
        let rated = at + Duration::days(rng.random_range(0..4)) + Duration::hours(2);
        if rated <= now {
            let process = weighted(rng, &[(70, 5u8), (22, 4), (5, 3), (2, 2), (1, 1)]);
            let outcome = if process >= 4 { RatingOutcome::Resolved } else { RatingOutcome::Partly };
            let dims = service::step::dims_of(&stored.content);
            steps.push(ImportStep {
                event: EventForCreate {
                    at: unix_ms(rated),
                    actor_role: Role::Consumer,
                    actor_id: None,
                    action: ActionName::Rate,
                    note: None,
                    detail: None,
                    stats: app::domain::stats::on_rating(&dims, china_date(rated), None, (process, outcome)),
                    notices: Vec::new(),
                },
                from: stored.state,
                to: stored.state,
                ground: None,
            });
            rating = Some(Rating { process, outcome, comment: None });
        }
    }
    Ok(ImportCase {
        new,
        state: stored.state,
        bureau: stored.bureau,
        clock_paused: stored.clock_paused,
        recovered: stored.amount_recovered,
        odr_offer: stored.odr_offer,
        version: stored.version,
        urgency,
        steps,
        rating,
    })
}

/// Loads `n` synthetic items received over the year before `now` unless the database already
/// holds the demonstration set. Returns how many were loaded.
pub async fn load(store: &dyn CaseStore, n: usize, now: OffsetDateTime) -> Result<usize, AppError> {
    if store.meta_get(DEMO_KEY).await?.as_deref() == Some(DEMO_VALUE) {
        return Ok(0);
    }
    let mut rng = StdRng::seed_from_u64(SEED);
    // The register and the lane's draws come from a generator of their own.
    let mut lane = StdRng::seed_from_u64(SEED + 1);
    let register = odr::register(&mut lane)?;
    odr::store_register(store, &register, now - Duration::days(366)).await?;
    // Receipt times over the year, in order (so case numbers follow them): working hours, with
    // fewer items at weekends.
    let start = now - Duration::days(365);
    let mut times: Vec<OffsetDateTime> = Vec::with_capacity(n);
    while times.len() < n {
        let t = start + Duration::seconds(rng.random_range(0..365 * 86_400));
        let local = t.to_offset(time::UtcOffset::from_hms(8, 0, 0).expect("offset"));
        let weekend = matches!(local.weekday(), time::Weekday::Saturday | time::Weekday::Sunday);
        let night = !(8..21).contains(&local.hour());
        if (weekend && rng.random_bool(0.5)) || (night && rng.random_bool(0.85)) {
            continue;
        }
        times.push(t);
    }
    times.sort();
    let mut batch = Vec::with_capacity(BATCH);
    for (i, t) in times.into_iter().enumerate() {
        batch.push(item(i, t, now, &mut rng, &mut lane, &register)?);
        if batch.len() == BATCH {
            store.import(&batch).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        store.import(&batch).await?;
    }
    // Some typical cases, so that /cases and the keyword cloud have something to show.
    service::publish::publish_waiting(store, "demo", 120, now).await?;
    // The businesses' public records show the year's closed complaints at once.
    service::disclosure::sweep(store, now, service::disclosure::SETTLE).await?;
    store.meta_set(DEMO_KEY, DEMO_VALUE).await?;
    Ok(n)
}
