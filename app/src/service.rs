//! Application services: the steps that combine the domain with the storage port. Server
//! functions and the CLI call these; they hold no HTTP and no SQL.

use crate::domain::case::{CaseForCreate, CaseNo, QueryCode};
use crate::domain::region::{self, CENTRE};
use crate::domain::rules;
use crate::domain::workflow::{transition, Action, Actor, CaseSnapshot, Role};
use crate::error::AppError;
use crate::ports::{CaseStore, EventForCreate, NewCase, StoredCase};
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime, UtcOffset};

/// China Standard Time: deadlines and case-number years follow the local date.
pub fn china_date(at: OffsetDateTime) -> Date {
    at.to_offset(UtcOffset::from_hms(8, 0, 0).expect("valid offset")).date()
}

pub fn unix_ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Hashes a query code with a random salt: `sha256$<salt hex>$<hash hex>`.
pub fn hash_query_code(code: &QueryCode, salt: [u8; 16]) -> String {
    let digest = Sha256::new().chain_update(salt).chain_update(code.as_str().as_bytes()).finalize();
    format!("sha256${}${}", hex::encode(salt), hex::encode(digest))
}

/// Compares a typed code with a stored hash in constant time.
pub fn query_code_matches(code: &QueryCode, stored: &str) -> bool {
    use subtle::ConstantTimeEq;
    let mut parts = stored.split('$');
    let (Some("sha256"), Some(salt), Some(hash), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (Ok(salt), Ok(hash)) = (hex::decode(salt), hex::decode(hash)) else {
        return false;
    };
    let digest = Sha256::new().chain_update(&salt).chain_update(code.as_str().as_bytes()).finalize();
    digest[..].ct_eq(&hash[..]).into()
}

/// Receives a new item: picks the rule set in force today and the starting bureau, makes a query
/// code, stores the case. Returns the stored case and the code, which is shown once.
pub async fn receive(
    store: &dyn CaseStore,
    case: CaseForCreate,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(StoredCase, QueryCode), AppError> {
    if !crate::domain::workflow::roles_for(crate::domain::workflow::ActionName::Receive).contains(&actor.role) {
        return Err(AppError::Forbidden);
    }
    let today = china_date(now);
    let rule_set = rules::in_force_on(today);
    // An item about a known business goes to the bureau with jurisdiction; otherwise the centre.
    let bureau = case
        .business
        .as_ref()
        .and_then(|b| region::bureau_for_county(&b.county))
        .map(|b| b.code)
        .unwrap_or_else(|| CENTRE.to_owned());
    let code = QueryCode::from_random(rand::random());
    let new = NewCase {
        case,
        rule_set: rule_set.id.clone(),
        bureau,
        received_at: unix_ms(now),
        received_on: today,
        query_hash: hash_query_code(&code, rand::random()),
        actor_role: actor.role,
        actor_id: None,
    };
    let stored = store.create(new).await?;
    Ok((stored, code))
}

/// Takes a workflow step on a case the caller read at `expected_version`.
pub async fn act(
    store: &dyn CaseStore,
    no: &CaseNo,
    expected_version: i64,
    actor: &Actor,
    actor_id: Option<String>,
    action: &Action,
    note: Option<String>,
    now: OffsetDateTime,
) -> Result<StoredCase, AppError> {
    let case = store.get(no).await?.ok_or(AppError::NotFound)?;
    if case.version != expected_version {
        return Err(AppError::Conflict);
    }
    let rules = rules::get(&case.rule_set).ok_or_else(|| AppError::internal("rule set", &case.rule_set))?;
    let snapshot =
        CaseSnapshot { kind: case.kind, state: case.state, bureau: case.bureau.clone(), clock_paused: case.clock_paused };
    let outcome = transition(&snapshot, actor, action, rules)?;
    let event = EventForCreate { at: unix_ms(now), actor_role: actor.role, actor_id, action: action.name(), note };
    store.apply(no, expected_version, case.state, &outcome, event).await
}

/// The actor of an online filing.
pub fn consumer() -> Actor {
    Actor { role: Role::Consumer, bureau: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_code_matches_only_its_own_hash() {
        let code = QueryCode::from_random([7; 8]);
        let other = QueryCode::from_random([8; 8]);
        let stored = hash_query_code(&code, [1; 16]);
        assert!(query_code_matches(&code, &stored));
        assert!(!query_code_matches(&other, &stored));
        assert!(!stored.contains(code.as_str()));
        // The same code under another salt hashes differently.
        assert_ne!(stored, hash_query_code(&code, [2; 16]));
        assert!(!query_code_matches(&code, "garbage"));
        assert!(!query_code_matches(&code, "sha256$zz$zz"));
    }

    #[test]
    fn the_china_date_turns_at_sixteen_hundred_utc() {
        let before = time::macros::datetime!(2026-09-30 15:59 UTC);
        let after = time::macros::datetime!(2026-09-30 16:00 UTC);
        assert_eq!(china_date(before), time::macros::date!(2026 - 09 - 30));
        assert_eq!(china_date(after), time::macros::date!(2026 - 10 - 01));
    }
}
