//! Staff sign-in: Argon2id password hashes, sessions kept in the database (so several app
//! servers share them) under a random token whose hash only is stored, lockout after repeated
//! failures, and every sign-in, failure and sign-out in the audit log.

use super::audit::audit;
use crate::domain::clock::unix_ms;
use crate::domain::staff::{check_new_password, session_valid, LoginForm, Staff, Username, LOGIN_POLICY};
use crate::domain::workflow::Role;
use crate::domain::{FieldError, Invalid};
use crate::error::AppError;
use crate::ports::StaffAccount;
use crate::service::codes::sha2_hex;
use crate::service::state::Services;
use crate::views::staff::{AuditLine, AuditPage};
use time::OffsetDateTime;

/// The staff session cookie.
pub const STAFF_COOKIE: &str = "staff";

pub use super::hashing::{hash_password, verify_password, HashGate};

/// A password to hand out once: 20 characters that are hard to confuse when read aloud.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..20).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect()
}

/// On first start: if no admin exists, creates `admin` with a random password and returns the
/// password (to be shown once). Several servers starting at once create one account between them.
pub async fn ensure_admin(services: &Services, now: OffsetDateTime) -> Result<Option<String>, AppError> {
    if services.staff.admin_exists().await? {
        return Ok(None);
    }
    let password = random_password();
    let staff = Staff::new(Username::parse("admin").expect("valid name"), Role::Admin, None).expect("valid role");
    let account = StaffAccount { staff, password_hash: hash_password(&password)?, disabled: false };
    if services.staff.staff_create(&account).await? {
        audit(services, now, None, "account_created", Some("admin"), None).await?;
        Ok(Some(password))
    } else {
        Ok(None)
    }
}

/// Creates or resets an account (the `staff` command of the server). With no password given, a
/// random one is made; returns the password.
pub async fn set_account(
    services: &Services,
    username: &str,
    role: &str,
    bureau: Option<String>,
    password: Option<String>,
    now: OffsetDateTime,
) -> Result<String, AppError> {
    let invalid = |field: &str, e| AppError::Invalid(vec![FieldError::new(field, e)]);
    let username = Username::parse(username).map_err(|e| invalid("username", e))?;
    let role = Role::from_code(role).ok_or_else(|| invalid("role", Invalid::Choice))?;
    let staff = Staff::new(username, role, bureau).map_err(|e| invalid("role", e))?;
    let password = password.unwrap_or_else(random_password);
    check_new_password(&password).map_err(|e| invalid("password", e))?;
    let password_hash = services.hashing.hash(password.clone()).await?;
    let account = StaffAccount { staff: staff.clone(), password_hash, disabled: false };
    services.staff.staff_set(&account).await?;
    // A reset (a new password, role or bureau) takes effect at once: no old session goes on.
    services.staff.sessions_end(staff.username.as_str()).await?;
    audit(services, now, None, "account_set", Some(staff.username.as_str()), None).await?;
    Ok(password)
}

/// Disables an account (the `staff disable` command): it can no longer sign in, and every
/// session it has ends now. [`AppError::NotFound`] if there is no such account.
pub async fn disable_account(services: &Services, username: &str, now: OffsetDateTime) -> Result<(), AppError> {
    let mut account = services.staff.staff_get(username).await?.ok_or(AppError::NotFound)?;
    account.disabled = true;
    services.staff.staff_set(&account).await?;
    services.staff.sessions_end(username).await?;
    audit(services, now, None, "account_disabled", Some(username), None).await
}

// A valid hash of a password nobody has: an unknown user name costs the same as a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$2c0F7yGyoHJkYGBPvz0xx2rn6bG0dSbn3cn7A+7I2w4";

/// A right password: signed in, or a second factor to give (or to enrol) first.
#[derive(Debug)]
pub enum SignIn {
    /// The session token for the cookie.
    Session(String, Staff),
    /// The token of the challenge awaiting the code (`service::second_factor`).
    SecondFactor(String),
}

impl SignIn {
    /// The session, if signing in is done.
    pub fn session(self) -> Option<(String, Staff)> {
        match self {
            SignIn::Session(token, staff) => Some((token, staff)),
            SignIn::SecondFactor(_) => None,
        }
    }
}

/// Checks a staff member's password: a session, or a challenge for the second factor when the
/// account has one or its role must have one.
pub async fn sign_in(
    services: &Services,
    form: &LoginForm,
    client: &str,
    now: OffsetDateTime,
) -> Result<SignIn, AppError> {
    let (username, password) = form.parse().map_err(AppError::Invalid)?;
    let now_ms = unix_ms(now);
    if let Err(e) = super::budget::spend_sign_in(services.cases.as_ref(), &services.budgets, client, now).await {
        audit(services, now, None, "sign_in_budget_spent", Some(username.as_str()), Some(client)).await?;
        return Err(e);
    }
    // The account from this address: a stranger's wrong passwords elsewhere never keep its
    // owner out. The try is counted before the password is checked (and cleared if it is right).
    let key = format!("login:{username}@{client}");
    let Ok((before, counted)) = super::track::begin_try(services, &key, now_ms, LOGIN_POLICY).await? else {
        audit(services, now, None, "sign_in_locked", Some(username.as_str()), Some(client)).await?;
        return Err(AppError::TooManyRequests);
    };
    let account = services.staff.staff_get(username.as_str()).await?;
    let hash = account.as_ref().map(|a| a.password_hash.as_str()).unwrap_or(DUMMY_HASH);
    let matches = match services.hashing.verify(password.to_owned(), hash.to_owned()).await {
        Ok(m) => m,
        Err(e) => {
            // Not checked (no hashing slot free): not a try, so it is not held against anyone.
            services.cases.throttle_swap(&key, counted, before).await?;
            return Err(e);
        }
    };
    let ok = matches && account.as_ref().is_some_and(|a| !a.disabled);
    let Some(account) = account.filter(|_| ok) else {
        audit(services, now, None, "sign_in_failed", Some(username.as_str()), Some(client)).await?;
        return Err(AppError::Unauthorized);
    };
    services.cases.throttle_clear(&key).await?;
    let enrolled = services.staff.totp_secret(username.as_str()).await?.is_some();
    if enrolled || services.second_factor.requires(account.staff.role) {
        let challenge = super::second_factor::open(services, &account.staff, enrolled, now).await?;
        let action = if enrolled { "password_accepted" } else { "password_accepted_enrol" };
        audit(services, now, Some(username.as_str()), action, None, Some(client)).await?;
        return Ok(SignIn::SecondFactor(challenge));
    }
    let token = hex::encode(rand::random::<[u8; 32]>());
    services.staff.session_create(&sha2_hex(&token), username.as_str(), now_ms).await?;
    audit(services, now, Some(username.as_str()), "sign_in", None, Some(client)).await?;
    Ok(SignIn::Session(token, account.staff))
}

fn token_of(cookie_header: &str) -> Option<&str> {
    crate::service::codes::cookie_token(cookie_header, STAFF_COOKIE)
}

/// The staff member signed in by the `Cookie` header, if the session holds (and the account is
/// still enabled). Each use keeps the session alive, up to its absolute limit. Tried again while
/// the database is not there for a moment (a failover): reading and touching it can be repeated.
pub async fn session(services: &Services, cookie_header: &str, now: OffsetDateTime) -> Result<Option<Staff>, AppError> {
    crate::service::retrying(|| session_once(services, cookie_header, now)).await
}

async fn session_once(
    services: &Services,
    cookie_header: &str,
    now: OffsetDateTime,
) -> Result<Option<Staff>, AppError> {
    let Some(token) = token_of(cookie_header) else { return Ok(None) };
    let id_hash = sha2_hex(token);
    let Some(s) = services.staff.session_get(&id_hash).await? else { return Ok(None) };
    let now_ms = unix_ms(now);
    if !session_valid(s.created, s.last_seen, now_ms) {
        services.staff.session_delete(&id_hash).await?;
        return Ok(None);
    }
    let Some(account) = services.staff.staff_get(&s.username).await?.filter(|a| !a.disabled) else {
        return Ok(None);
    };
    services.staff.session_touch(&id_hash, now_ms).await?;
    Ok(Some(account.staff))
}

/// Ends the session of the `Cookie` header.
pub async fn sign_out(services: &Services, cookie_header: &str, now: OffsetDateTime) -> Result<(), AppError> {
    let Some(token) = token_of(cookie_header) else { return Ok(()) };
    let id_hash = sha2_hex(token);
    if let Some(s) = services.staff.session_get(&id_hash).await? {
        services.staff.session_delete(&id_hash).await?;
        audit(services, now, Some(&s.username), "sign_out", None, None).await?;
    }
    Ok(())
}

/// A page of the audit log (100 entries, newest first, before the entry `before`), for
/// supervisors and admins.
pub async fn audit_page(services: &Services, staff: &Staff, before: Option<i64>) -> Result<AuditPage, AppError> {
    if !matches!(staff.role, Role::Supervisor | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let (entries, next) = services.staff.audit_page(before, 100).await?;
    let lines = entries
        .into_iter()
        .map(|(_, e)| AuditLine {
            at: crate::domain::clock::china_time(e.at),
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            client: e.client,
        })
        .collect();
    Ok(AuditPage { lines, next })
}

/// The `Set-Cookie` header of a new session (or, with `None`, of its end).
pub fn cookie_header(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{STAFF_COOKIE}={t}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
            crate::domain::staff::SESSION_ABSOLUTE_MS / 1000
        ),
        None => format!("{STAFF_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_own_hash_only() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("anything", "not a hash"));
        assert!(
            argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok(),
            "the dummy hash parses, so it costs a real verification"
        );
        assert_ne!(hash_password("same").unwrap(), hash_password("same").unwrap(), "salted");
    }

    #[test]
    fn random_passwords_pass_the_policy() {
        let p = random_password();
        assert_eq!(p.len(), 20);
        assert_eq!(check_new_password(&p), Ok(()));
        assert_ne!(random_password(), p);
    }

    #[test]
    fn only_a_well_formed_token_is_read_from_the_cookie() {
        let t = "a".repeat(64);
        assert_eq!(token_of(&format!("lang=en; staff={t}")), Some(t.as_str()));
        assert_eq!(token_of("staff=short"), None);
        assert_eq!(token_of(&format!("staff={}", "z".repeat(64))), None);
    }
}
