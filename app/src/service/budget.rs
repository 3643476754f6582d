//! Budgets that a real consumer never meets but that stop one client from flooding the portal
//! with filings: filings per client address and per phone number per hour (configurable:
//! `PORTAL_FILINGS_PER_ADDRESS`, `PORTAL_FILINGS_PER_PHONE`), counted in the database so that
//! every server of a cluster shares them, and spent and checked in one statement. No CAPTCHA
//! service is involved. A phone number is kept only as a keyed hash.

use crate::domain::{FieldError, Invalid};
use crate::error::AppError;
use crate::ports::BudgetStore;
use crate::service::codes::Secret;
use time::OffsetDateTime;

const HOUR_MS: i64 = 3_600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    /// Filings one client address may make per hour.
    pub filings_per_address: u32,
    /// Filings that may name one phone number per hour.
    pub filings_per_phone: u32,
}

impl Default for Budgets {
    /// A household behind one address files a few items a year; a service desk that helps many
    /// consumers from one address files its items at the window (intake), not through this form.
    fn default() -> Self {
        Budgets { filings_per_address: 30, filings_per_phone: 10 }
    }
}

/// Spends one filing of `address`'s and of `phone`'s hourly budgets, or refuses the filing with
/// a field error when either is spent (nothing else is spent then).
pub async fn spend_filing(
    store: &dyn BudgetStore,
    budgets: &Budgets,
    secret: &Secret,
    address: &str,
    phone: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let now_ms = (now.unix_timestamp_nanos() / 1_000_000) as i64;
    let refuse = |field: &str, per_hour: u32| {
        AppError::Invalid(vec![FieldError::new(field, Invalid::TooManyFilings { per_hour })])
    };
    let (used, _) = store.budget_spend(&format!("file:addr:{address}"), now_ms, HOUR_MS).await?;
    if used > i64::from(budgets.filings_per_address) {
        return Err(refuse("key", budgets.filings_per_address));
    }
    let (used, _) = store.budget_spend(&format!("file:phone:{}", keyed_hash(secret, phone)), now_ms, HOUR_MS).await?;
    if used > i64::from(budgets.filings_per_phone) {
        return Err(refuse("consumer_phone", budgets.filings_per_phone));
    }
    Ok(())
}

/// A value's HMAC-SHA256 under the site secret, in hex: the same value gives the same key on
/// every server, and the key does not reveal the value.
fn keyed_hash(secret: &Secret, value: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&secret.0).expect("any key length");
    mac.update(b"budget:");
    mac.update(value.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}
