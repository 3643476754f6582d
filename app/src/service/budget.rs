//! Budgets that a real consumer or staff member never meets but that stop one client from
//! flooding the portal: filings per client address and per phone number per hour (configurable:
//! `PORTAL_FILINGS_PER_ADDRESS`, `PORTAL_FILINGS_PER_PHONE`), and staff sign-in attempts per
//! client address per hour and from everywhere per minute (checked before any password is
//! hashed), evidence uploads per client address per hour and files per draft. Counted in the database so that every server of a cluster shares them, and spent and
//! checked in one statement. No CAPTCHA service is involved. A phone number is kept only as a
//! keyed hash.

use crate::domain::clock::unix_ms;
use crate::domain::{FieldError, Invalid};
use crate::error::AppError;
use crate::ports::BudgetStore;
use crate::service::codes::{keyed_hex, Secret};
use time::OffsetDateTime;

const HOUR_MS: i64 = 3_600_000;
const MINUTE_MS: i64 = 60_000;

#[derive(Debug, Clone)]
pub struct Budgets {
    /// Filings one client address may make per hour.
    pub filings_per_address: u32,
    /// Filings that may name one phone number per hour.
    pub filings_per_phone: u32,
    /// Staff sign-in attempts from one client address per hour.
    pub sign_ins_per_address: u32,
    /// Staff sign-in attempts from all clients together per minute.
    pub sign_ins_per_minute: u32,
    /// Evidence files one client address may upload per hour.
    pub uploads_per_address: u32,
    /// Bytes of evidence that may wait, uploaded but not yet filed, from everyone together;
    /// beyond, uploads pause until filings or the daily purge bring it down.
    pub pending_upload_bytes: i64,
    /// One-time codes by text message per mobile number per hour.
    pub codes_per_phone: u32,
    /// One-time codes asked for from one client address per hour.
    pub codes_per_address: u32,
    /// One-time codes asked for from everyone together per hour: what the text messages may
    /// cost at most, however many numbers and addresses an attacker has.
    pub codes_per_hour: u32,
    /// Requests to the open data API from one client address per minute.
    pub api_per_minute: u32,
    /// The budgets this server found spent, until their windows end.
    pub spent: Spent,
}

/// Budgets found spent, remembered in this server's memory until their window ends, so that a
/// client that keeps going is refused without a database write (the database stays the one
/// account, shared by every server; each server learns a budget is spent from it once). At most
/// 10,000 keys: when full, ended windows are forgotten, and if none has ended the database alone
/// answers.
#[derive(Debug, Clone, Default)]
pub struct Spent(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, i64>>>);

impl Spent {
    const MAX_KEYS: usize = 10_000;

    fn until(&self, key: &str, now_ms: i64) -> Option<i64> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).copied().filter(|until| *until > now_ms)
    }

    fn remember(&self, key: &str, until: i64, now_ms: i64) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= Self::MAX_KEYS {
            map.retain(|_, u| *u > now_ms);
        }
        if map.len() < Self::MAX_KEYS {
            map.insert(key.to_owned(), until);
        }
    }
}

/// Spends one unit of `key`'s budget of `limit` per `window_ms`; false if it is spent (known here
/// already, or found so in the database now).
async fn spend(
    store: &dyn BudgetStore,
    spent: &Spent,
    key: &str,
    now_ms: i64,
    window_ms: i64,
    limit: u32,
) -> Result<bool, AppError> {
    if spent.until(key, now_ms).is_some() {
        return Ok(false);
    }
    let (used, window_start) = store.budget_spend(key, now_ms, window_ms).await?;
    if used > i64::from(limit) {
        spent.remember(key, window_start + window_ms, now_ms);
        return Ok(false);
    }
    Ok(true)
}

/// Whether this server already knows `address` has spent its hourly uploads: the upload is then
/// refused before its body is read.
pub fn uploads_spent(budgets: &Budgets, address: &str, now: OffsetDateTime) -> Option<AppError> {
    budgets.spent.until(&format!("upload:addr:{address}"), unix_ms(now)).map(|_| {
        let e = Invalid::TooManyUploads { per_hour: budgets.uploads_per_address };
        AppError::Invalid(vec![FieldError::new("evidence", e)])
    })
}

impl Default for Budgets {
    /// A household behind one address files a few items a year; a service desk that helps many
    /// consumers from one address files its items at the window (intake), not through this form.
    fn default() -> Self {
        // Sign-ins: a bureau's office behind one address signs in a few dozen times a day; the
        // whole province's staff, a few hundred times a morning. Both are far below what the
        // password hashing of a two-core server can take (about 40 a second).
        // Uploads: five files a filing, and a few attempts more for a file refused. Pending files:
        // a day of the province's online filings with evidence is well under a gigabyte.
        Budgets {
            filings_per_address: 30,
            filings_per_phone: 10,
            sign_ins_per_address: 60,
            sign_ins_per_minute: 300,
            uploads_per_address: 60,
            pending_upload_bytes: 2 << 30,
            // Codes: a consumer who lost a code asks once or twice; a household, a few times.
            // The province's online filers lose a handful of codes a day: a few hundred an hour
            // is far above it and far below what makes a text-message bill hurt.
            codes_per_phone: 3,
            codes_per_address: 10,
            codes_per_hour: 300,
            // The open data API: a program reading a page a second, with room for bursts; a
            // scraper of every page is slowed to this, not shut out.
            api_per_minute: 300,
            spent: Spent::default(),
        }
    }
}

/// Spends one filing of `address`'s and of `phone`'s hourly budgets, or refuses the filing with
/// a field error when either is spent (nothing else is spent then).
pub async fn spend_filing(
    store: &dyn BudgetStore,
    budgets: &Budgets,
    secret: &Secret,
    address: &str,
    phone: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let now_ms = unix_ms(now);
    let refuse = |field: &str, per_hour: u32| {
        AppError::Invalid(vec![FieldError::new(field, Invalid::TooManyFilings { per_hour })])
    };
    let spent = &budgets.spent;
    if !spend(store, spent, &format!("file:addr:{address}"), now_ms, HOUR_MS, budgets.filings_per_address).await? {
        return Err(refuse("key", budgets.filings_per_address));
    }
    // An anonymous report names no phone: only the address's budget applies.
    let Some(phone) = phone else { return Ok(()) };
    let phone_key = format!("file:phone:{}", keyed_hex(secret, b"budget:", phone));
    if !spend(store, spent, &phone_key, now_ms, HOUR_MS, budgets.filings_per_phone).await? {
        return Err(refuse("consumer_phone", budgets.filings_per_phone));
    }
    Ok(())
}

/// Spends one one-time code of `phone`'s, `address`'s and everyone's hourly budgets, or refuses
/// it with a field error on the number when any is spent. Spent whether or not the number has a
/// case, so the answer says nothing of it.
pub async fn spend_code(
    store: &dyn BudgetStore,
    budgets: &Budgets,
    secret: &Secret,
    address: &str,
    phone: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let now_ms = unix_ms(now);
    let spent = &budgets.spent;
    let phone_key = format!("code:phone:{}", keyed_hex(secret, b"budget:", phone));
    let ok = spend(store, spent, &format!("code:addr:{address}"), now_ms, HOUR_MS, budgets.codes_per_address).await?
        && spend(store, spent, &phone_key, now_ms, HOUR_MS, budgets.codes_per_phone).await?
        && spend(store, spent, "code:all", now_ms, HOUR_MS, budgets.codes_per_hour).await?;
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![FieldError::new("phone", Invalid::TooManyCodes)]))
    }
}

/// Subscription requests one client address may make per hour, and confirmation messages one
/// e-mail address may be sent per day: a person subscribes to a few businesses at a sitting and
/// asks for a lost confirmation once or twice; a stranger cannot fill someone's inbox.
const ALERTS_PER_ADDRESS: u32 = 20;
const CONFIRMATIONS_PER_EMAIL: u32 = 3;

/// Spends one subscription request of `address`'s hourly budget and one confirmation of
/// `email`'s daily one, or refuses it with a field error on the address.
pub async fn spend_alert(
    store: &dyn BudgetStore,
    budgets: &Budgets,
    secret: &Secret,
    address: &str,
    email: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let now_ms = unix_ms(now);
    let spent = &budgets.spent;
    let email_key = format!("alert:email:{}", keyed_hex(secret, b"budget:", email));
    let ok = spend(store, spent, &format!("alert:addr:{address}"), now_ms, HOUR_MS, ALERTS_PER_ADDRESS).await?
        && spend(store, spent, &email_key, now_ms, 24 * HOUR_MS, CONFIRMATIONS_PER_EMAIL).await?;
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![FieldError::new("email", Invalid::TooManyAlerts)]))
    }
}

/// Spends one request of `address`'s budget of open data API requests per minute: `None`, or
/// the seconds until the budget renews if it is spent.
pub async fn spend_api(
    store: &dyn BudgetStore,
    budgets: &Budgets,
    address: &str,
    now: OffsetDateTime,
) -> Result<Option<i64>, AppError> {
    let now_ms = unix_ms(now);
    let key = format!("api:addr:{address}");
    if spend(store, &budgets.spent, &key, now_ms, MINUTE_MS, budgets.api_per_minute).await? {
        return Ok(None);
    }
    let until = budgets.spent.until(&key, now_ms).unwrap_or(now_ms + MINUTE_MS);
    Ok(Some((until - now_ms + 999) / 1000))
}

/// Spends one sign-in attempt of `address`'s hourly budget and of the minute's budget of all
/// sign-ins; [`AppError::TooManyRequests`] when either is spent.
pub async fn spend_sign_in(
    store: &dyn BudgetStore,
    budgets: &Budgets,
    address: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let now_ms = unix_ms(now);
    let spent = &budgets.spent;
    let key = format!("sign-in:addr:{address}");
    if !spend(store, spent, &key, now_ms, HOUR_MS, budgets.sign_ins_per_address).await?
        || !spend(store, spent, "sign-in:all", now_ms, MINUTE_MS, budgets.sign_ins_per_minute).await?
    {
        return Err(AppError::TooManyRequests);
    }
    Ok(())
}

/// Spends one upload of `address`'s hourly budget, or refuses it with a field error.
pub async fn spend_upload(
    store: &dyn BudgetStore,
    budgets: &Budgets,
    address: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let key = format!("upload:addr:{address}");
    if !spend(store, &budgets.spent, &key, unix_ms(now), HOUR_MS, budgets.uploads_per_address).await? {
        let e = Invalid::TooManyUploads { per_hour: budgets.uploads_per_address };
        return Err(AppError::Invalid(vec![FieldError::new("evidence", e)]));
    }
    Ok(())
}

/// Counts one more file of the draft `token` (its upload token), or refuses it when the draft
/// has its 5 files. Kept a day, as long as its files wait.
pub async fn spend_draft_file(store: &dyn BudgetStore, token: &str, now: OffsetDateTime) -> Result<(), AppError> {
    use crate::domain::evidence::MAX_FILES;
    let (used, _) = store.budget_spend(&format!("draft:{token}"), unix_ms(now), 24 * HOUR_MS).await?;
    if used > MAX_FILES as i64 {
        let e = Invalid::TooManyFiles { max: MAX_FILES as u32 };
        return Err(AppError::Invalid(vec![FieldError::new("evidence", e)]));
    }
    Ok(())
}
