//! A small synthetic demonstration data set, so that a newcomer sees a living portal. Every
//! name says it is synthetic; the database is marked so that every page shows a banner.
//! Generated reproducibly from a seed, through the same services and workflow as real cases.

use app::domain::case::{CaseForCreate, CaseInput};
use app::domain::category;
use app::domain::fields::Note;
use app::domain::kind::{Channel, ItemKind};
use app::domain::money::Fen;
use app::domain::party::BusinessInput;
use app::domain::region::prefectures;
use app::domain::rules;
use app::domain::workflow::{Action, Actor, MediationMethod, Role};
use app::error::AppError;
use app::ports::CaseStore;
use app::service;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Duration, OffsetDateTime};

pub const DEMO_KEY: &str = "demo";
pub const DEMO_VALUE: &str = "synthetic";
const SEED: u64 = 12315;

/// Loads `n` synthetic items unless the database already holds the demonstration set.
/// Returns how many were loaded.
pub async fn load(store: &dyn CaseStore, n: usize, now: OffsetDateTime) -> Result<usize, AppError> {
    if store.meta_get(DEMO_KEY).await?.as_deref() == Some(DEMO_VALUE) {
        return Ok(0);
    }
    let mut rng = StdRng::seed_from_u64(SEED);
    let supervisor = Actor { role: Role::Supervisor, bureau: None };
    let all_counties: Vec<&str> =
        prefectures().iter().flat_map(|p| p.counties.iter().map(|c| c.code.as_str())).collect();
    for i in 0..n {
        let kind = match rng.random_range(0..10) {
            0..=3 => ItemKind::Consultation,
            4..=8 => ItemKind::Complaint,
            _ => ItemKind::Report,
        };
        let channel = [
            Channel::Phone,
            Channel::Phone,
            Channel::Web,
            Channel::Web,
            Channel::Letter,
            Channel::VoiceMessage,
            Channel::WalkIn,
        ][rng.random_range(0..7)];
        let cats: Vec<_> = category::for_kind(kind).collect();
        let cat = cats[rng.random_range(0..cats.len())];
        let county = all_counties[rng.random_range(0..all_counties.len())];
        let received = now - Duration::days(rng.random_range(0..60)) - Duration::minutes(rng.random_range(0..600));
        let today = service::china_date(received);
        let paid = rng.random_range(20..5000) * 100;
        let input = CaseInput {
            kind: kind.code().into(),
            channel: channel.code().into(),
            category: cat.code.clone(),
            business: BusinessInput {
                name: format!("演示商户{:03}（合成数据）", i + 1),
                credit_code: String::new(),
                address: format!("演示地址{}号", i + 1),
                county: county.into(),
                ..Default::default()
            },
            consumer_name: format!("演示用户{:03}", i + 1),
            consumer_phone: format!("1390000{:04}", i + 1),
            consumer_address: "青海省西宁市演示路1号（合成数据）".into(),
            incident_on: app::domain::calendar::format_date(today - Duration::days(rng.random_range(0..20))),
            amount_paid: Fen(paid).to_yuan_string(),
            order_no: String::new(),
            demand: if kind == ItemKind::Complaint { "refund".into() } else { String::new() },
            demand_text: String::new(),
            facts: format!(
                "合成演示数据：关于{}的{}，用于展示办理流程，并非真实案件。",
                cat.zh,
                app::i18n::kind(app::i18n::Lang::Zh, kind)
            ),
            consent_publish: rng.random_bool(0.3),
        };
        let case = CaseForCreate::parse(&input, today, rules::in_force_on(today))
            .map_err(|e| AppError::internal("demo data", format!("{e:?}")))?;
        let actor =
            Actor { role: if channel == Channel::Web { Role::Consumer } else { Role::IntakeOperator }, bureau: None };
        let (stored, _code) = service::receive(store, case, &actor, received, None).await?;
        // Move the item along its path by a random number of steps.
        let steps: Vec<Action> = match kind {
            ItemKind::Complaint if rng.random_bool(0.1) => vec![Action::Refuse { ground: 3 }, Action::Close],
            ItemKind::Complaint => {
                let end = if rng.random_bool(0.7) {
                    Action::RecordSettlement {
                        recovered: Fen(paid / 100 * rng.random_range(30..=100)),
                        agreement: Note::parse("经调解，商家同意退款（合成数据）").map_err(|_| AppError::Internal)?,
                    }
                } else {
                    Action::TerminateMediation { ground: 4 }
                };
                vec![
                    Action::Accept,
                    Action::StartMediation { method: MediationMethod::Phone, on_site: None },
                    end,
                    Action::Close,
                ]
            }
            ItemKind::Report => {
                vec![Action::StartVerification, Action::DecideReport { opened: rng.random_bool(0.5) }, Action::Close]
            }
            ItemKind::Consultation => vec![Action::Answer {
                answer: Note::parse("已告知消费者相关权利和办理途径（合成数据）").map_err(|_| AppError::Internal)?,
            }],
        };
        let take = rng.random_range(0..=steps.len());
        let mut version = stored.version;
        for (k, step) in steps.iter().take(take).enumerate() {
            let at = received + Duration::hours(20 * (k as i64 + 1));
            if at > now {
                break;
            }
            let c =
                service::act(store, &stored.case_no, version, &supervisor, Some("demo".into()), step, None, at).await?;
            version = c.version;
        }
    }
    store.meta_set(DEMO_KEY, DEMO_VALUE).await?;
    Ok(n)
}
