//! E-mail alerts of newly disclosed complaints (`domain::subscription`): subscribing (the
//! confirmation goes out through the outbox at once), confirming, unsubscribing in one click,
//! and the sweep that writes each confirmed subscription's weekly digest to the outbox. The
//! links carry the subscription's number and an HMAC of it under the site's secret: nothing
//! secret is stored, and any server of a cluster can check them.

use crate::domain::clock::unix_ms;
use crate::domain::disclosure::objection::item_label;
use crate::domain::notify::{NoticeChannel, NoticeKind};
use crate::domain::subscription::{self, SubscribeForm, Target};
use crate::domain::{FieldError, Invalid};
use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::ports::{CaseStore, Subscription};
use crate::service::codes::{keyed_hex, Secret};
use crate::service::state::Services;

/// What a link of a subscription proves: the confirmation, or the unsubscribing.
fn token(secret: &Secret, purpose: &[u8], s: &Subscription) -> String {
    keyed_hex(secret, purpose, &format!("{}:{}", s.id, s.created_at))
}

fn holds(secret: &Secret, purpose: &[u8], s: &Subscription, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    token(secret, purpose, s).as_bytes().ct_eq(given.as_bytes()).into()
}

const CONFIRM: &[u8] = b"alert-confirm:";
const UNSUBSCRIBE: &[u8] = b"alert-unsubscribe:";

/// The path of a subscription's one-click unsubscribe (`List-Unsubscribe`).
pub fn unsubscribe_path(secret: &Secret, s: &Subscription) -> String {
    format!("/alerts/unsubscribe?s={}&t={}", s.id, token(secret, UNSUBSCRIBE, s))
}

fn confirm_path(secret: &Secret, s: &Subscription) -> String {
    format!("/alerts/confirm?s={}&t={}", s.id, token(secret, CONFIRM, s))
}

/// The name of what a subscription follows, in `lang`.
async fn target_name(store: &dyn CaseStore, target: &Target, lang: Lang) -> Result<Option<String>, AppError> {
    Ok(match target {
        Target::County(c) => crate::domain::region::county(c).map(|c| lang.pick(&c.zh, &c.en).to_owned()),
        Target::Business(k) => store.record_get(k, "").await?.map(|b| b.name),
    })
}

/// The name of what `target` follows, if it can be followed (a business with a record).
pub async fn describe(services: &Services, target: &Target, lang: Lang) -> Result<Option<String>, AppError> {
    target_name(services.cases.as_ref(), target, lang).await
}

/// Subscribes `form`'s address to its target's alerts and sends the confirmation (only that,
/// until it is confirmed). The same answer whether the address was subscribed already or not
/// (a confirmed one is sent nothing). A business with no record is no target.
pub async fn subscribe(
    services: &Services,
    form: &SubscribeForm,
    lang: Lang,
    client: &str,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    let s = form.parse().map_err(AppError::Invalid)?;
    let store = services.cases.as_ref();
    let name = target_name(store, &s.target, lang)
        .await?
        .ok_or_else(|| AppError::Invalid(vec![FieldError::new("target", Invalid::Choice)]))?;
    crate::service::budget::spend_alert(store, &services.budgets, &services.secret, client, &s.email, now).await?;
    let (sub, _) = store.subscription_add(&s.email, &s.target.code(), lang.tag(), unix_ms(now)).await?;
    if sub.confirmed_at.is_some() {
        return Ok(());
    }
    let params = vec![
        ("subscription".to_owned(), sub.id.to_string()),
        ("name".to_owned(), name),
        ("confirm".to_owned(), confirm_path(&services.secret, &sub)),
        ("unsubscribe".to_owned(), unsubscribe_path(&services.secret, &sub)),
    ];
    store
        .queue_loose(NoticeKind::AlertConfirm, NoticeChannel::Email, &sub.email, lang.tag(), &params, unix_ms(now))
        .await
}

/// The subscription a link names, if its token holds.
async fn linked(services: &Services, id: &str, t: &str, purpose: &[u8]) -> Result<Option<Subscription>, AppError> {
    let Ok(id) = id.parse::<i64>() else { return Ok(None) };
    let s = services.cases.subscription_get(id).await?;
    Ok(s.filter(|s| holds(&services.secret, purpose, s, t)))
}

/// What a confirmation or unsubscribe link leads to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AlertLink {
    /// The page the alerts are about.
    pub page: String,
    pub name: String,
    pub confirmed: bool,
}

async fn link_view(services: &Services, s: &Subscription, lang: Lang) -> Result<AlertLink, AppError> {
    let target = Target::parse(&s.target).map_err(|_| AppError::NotFound)?;
    let name = target_name(services.cases.as_ref(), &target, lang).await?.unwrap_or_default();
    Ok(AlertLink { page: target.page(), name, confirmed: s.confirmed_at.is_some() })
}

/// Checks a confirmation link (404 if it does not hold, or expired unconfirmed) and says what
/// it confirms; with `confirm`, confirms it.
pub async fn confirm(
    services: &Services,
    id: &str,
    t: &str,
    confirm: bool,
    lang: Lang,
    now: time::OffsetDateTime,
) -> Result<AlertLink, AppError> {
    let s = linked(services, id, t, CONFIRM).await?.ok_or(AppError::NotFound)?;
    let expired = unix_ms(now) >= s.created_at + subscription::CONFIRM_WITHIN_SECS * 1000;
    if s.confirmed_at.is_none() && expired {
        return Err(AppError::NotFound);
    }
    let mut view = link_view(services, &s, lang).await?;
    if confirm && s.confirmed_at.is_none() {
        services.cases.subscription_confirm(s.id, unix_ms(now)).await?;
        view.confirmed = true;
    }
    Ok(view)
}

/// Checks an unsubscribe link and, with `delete`, deletes the subscription (its address goes
/// with it). `None`: the link held once but the subscription is gone already (a second click).
pub async fn unsubscribe(
    services: &Services,
    id: &str,
    t: &str,
    delete: bool,
    lang: Lang,
) -> Result<Option<AlertLink>, AppError> {
    let Some(s) = linked(services, id, t, UNSUBSCRIBE).await? else {
        // A well-formed link whose subscription is gone was most likely used already.
        return match id.parse::<i64>() {
            Ok(n) if services.cases.subscription_get(n).await?.is_none() => Ok(None),
            _ => Err(AppError::NotFound),
        };
    };
    let view = link_view(services, &s, lang).await?;
    if delete {
        services.cases.subscription_delete(s.id).await?;
    }
    Ok(Some(view))
}

/// Deletes the unconfirmed subscriptions whose confirmation expired, and writes the digest of
/// each confirmed one that is due (none in the last week) and has complaints disclosed since
/// its last. Returns how many digests it wrote.
pub async fn sweep(store: &dyn CaseStore, secret: &Secret, now: time::OffsetDateTime) -> Result<usize, AppError> {
    let now_ms = unix_ms(now);
    store.subscriptions_expire(now_ms - subscription::CONFIRM_WITHIN_SECS * 1000).await?;
    let sent_before = now_ms - subscription::DIGEST_EVERY_SECS * 1000;
    let (mut after, mut written) = (0, 0);
    loop {
        let due = store.subscriptions_due(sent_before, after, 200).await?;
        let Some(last) = due.last() else { return Ok(written) };
        after = last.id;
        for s in &due {
            if subscription::digest_due(s.sent_at, now_ms, subscription::DIGEST_EVERY_SECS)
                && digest(store, secret, s, now).await?
            {
                written += 1;
            }
        }
    }
}

/// One subscription's digest, if anything was disclosed since its last.
async fn digest(
    store: &dyn CaseStore,
    secret: &Secret,
    s: &Subscription,
    now: time::OffsetDateTime,
) -> Result<bool, AppError> {
    let Ok(target) = Target::parse(&s.target) else { return Ok(false) };
    let (key, county) = match &target {
        Target::Business(k) => (Some(k.as_str()), None),
        Target::County(c) => (None, Some(c.as_str())),
    };
    let items: Vec<_> = store
        .disclosed_recent(key, county, subscription::DIGEST_ITEMS)
        .await?
        .into_iter()
        .filter(|i| i.disclosed_at > s.seen_at)
        .collect();
    let Some(newest) = items.iter().map(|i| i.disclosed_at).max() else { return Ok(false) };
    let lang = Lang::from_tag(&s.lang).unwrap_or_default();
    let m = lang.msgs();
    let lines: String = items
        .iter()
        .map(|i| {
            let d = &i.item;
            format!(
                "\n  {} · {} · {} · {} · {}",
                item_label(i.id),
                d.business_name,
                i18n::category_name(lang, &d.category),
                d.handled,
                m.term("handling", d.handling.code())
            )
        })
        .collect();
    let name = target_name(store, &target, lang).await?.unwrap_or_default();
    let params = vec![
        ("subscription".to_owned(), s.id.to_string()),
        ("name".to_owned(), name),
        ("n".to_owned(), items.len().to_string()),
        ("items".to_owned(), lines),
        ("page".to_owned(), target.page()),
        ("unsubscribe".to_owned(), unsubscribe_path(secret, s)),
    ];
    store.subscription_digest(s, &params, newest, unix_ms(now)).await
}
