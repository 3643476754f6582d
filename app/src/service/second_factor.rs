//! The second factor of staff sign-in: TOTP (RFC 6238, the codes of any authenticator app) and
//! ten one-time recovery codes. A right password for an account that has a second factor, or
//! whose role must have one, opens a *challenge* (a random token in a cookie, its hash in the
//! database, 10 minutes) instead of a session; the code turns it into a session. An account
//! without a second factor enrols at that point: the page shows the secret as a QR code and as
//! text, the first code confirms it, and the recovery codes are shown once. Every step is in the
//! audit log; wrong codes slow the next tries down as wrong passwords do.

use crate::domain::clock::unix_ms;
use crate::domain::staff::{
    recovery_display, CodeForm, SecondFactor, Staff, CHALLENGE_MS, LOGIN_POLICY, RECOVERY_ALPHABET, RECOVERY_CODES,
    RECOVERY_LEN, TOTP_STEP_S,
};
use crate::error::AppError;
use crate::ports::ChallengeRecord;
use crate::service::codes::sha2_hex;
use crate::service::state::Services;
use crate::views::forms::CodeStage;
use time::OffsetDateTime;

pub use crate::domain::staff::SecondFactorRoles;

/// The cookie of a sign-in awaiting its second factor (sent only to the sign-in pages).
pub const CHALLENGE_COOKIE: &str = "staff_code";

/// The issuer named in authenticator apps.
const ISSUER: &str = "Qinghai 12315";

fn totp(secret_b32: &str) -> Result<totp_rs::TOTP, AppError> {
    let bytes = totp_rs::Secret::Encoded(secret_b32.to_owned())
        .to_bytes()
        .map_err(|e| AppError::internal("totp secret", format!("{e:?}")))?;
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 0, TOTP_STEP_S as u64, bytes)
        .map_err(|e| AppError::internal("totp", format!("{e:?}")))
}

/// The time step of `code` under `secret` at `now_s`: the server's step, the one before or the
/// one after (clock drift), compared in constant time.
pub fn matching_step(secret_b32: &str, code: &str, now_s: i64) -> Result<Option<i64>, AppError> {
    use subtle::ConstantTimeEq;
    let t = totp(secret_b32)?;
    let step = now_s.div_euclid(TOTP_STEP_S);
    Ok([step - 1, step, step + 1]
        .into_iter()
        .filter(|s| *s >= 0)
        .find(|s| bool::from(t.generate((s * TOTP_STEP_S) as u64).as_bytes().ct_eq(code.as_bytes()))))
}

/// The code an authenticator app shows for `secret` at `now_s` (for the tests and the CLI).
pub fn code_at(secret_b32: &str, now_s: i64) -> Result<String, AppError> {
    Ok(totp(secret_b32)?.generate(now_s.max(0) as u64))
}

/// A new secret of 160 bits (RFC 4226's recommended length), base32 as apps take it.
fn new_secret() -> String {
    match totp_rs::Secret::Raw(rand::random::<[u8; 20]>().to_vec()).to_encoded() {
        totp_rs::Secret::Encoded(s) => s,
        totp_rs::Secret::Raw(_) => unreachable!("to_encoded gives the encoded form"),
    }
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(username: &str, secret_b32: &str) -> String {
    let enc = |s: &str| s.replace(' ', "%20").replace(':', "%3A");
    format!(
        "otpauth://totp/{}:{}?secret={secret_b32}&issuer={}&algorithm=SHA1&digits=6&period={TOTP_STEP_S}",
        enc(ISSUER),
        enc(username),
        enc(ISSUER)
    )
}

fn recovery_code() -> String {
    (0..RECOVERY_LEN).map(|_| RECOVERY_ALPHABET[rand::random_range(0..RECOVERY_ALPHABET.len())] as char).collect()
}

async fn audit(
    services: &Services,
    now: OffsetDateTime,
    actor: &str,
    action: &str,
    client: &str,
) -> Result<(), AppError> {
    super::audit::audit(services, now, Some(actor), action, None, Some(client)).await
}

/// Opens the challenge for `staff`, whose password was right: with a fresh secret to offer if
/// the account has not enrolled. Returns the token for the cookie.
pub async fn open(services: &Services, staff: &Staff, enrolled: bool, now: OffsetDateTime) -> Result<String, AppError> {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let now_ms = unix_ms(now);
    let record = ChallengeRecord {
        username: staff.username.to_string(),
        created: now_ms,
        pending_secret: (!enrolled).then(new_secret),
    };
    services.staff.challenge_create(&sha2_hex(&token), &record, now_ms - CHALLENGE_MS).await?;
    Ok(token)
}

/// The challenge of this token, if it is still open.
async fn challenge(services: &Services, token: &str, now_ms: i64) -> Result<Option<ChallengeRecord>, AppError> {
    if token.is_empty() {
        return Ok(None);
    }
    let found = services.staff.challenge_get(&sha2_hex(token)).await?;
    Ok(found.filter(|c| now_ms - c.created < CHALLENGE_MS))
}

/// What the code page shows for this token: the code field, the secret to enrol (QR code and
/// text) with it, or that the sign-in has expired.
pub async fn stage(services: &Services, token: &str, now: OffsetDateTime) -> Result<CodeStage, AppError> {
    let Some(c) = challenge(services, token, unix_ms(now)).await? else { return Ok(CodeStage::Expired) };
    Ok(match c.pending_secret {
        None => CodeStage::Code,
        Some(secret) => {
            let uri = otpauth_uri(&c.username, &secret);
            let qr_svg = qrcode::QrCode::new(uri.as_bytes())
                .map(|q| q.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build())
                .map_err(|e| AppError::internal("qr code", e))?;
            // Inline in HTML: the XML declaration has no place there.
            let qr_svg = qr_svg.find("<svg").map(|at| qr_svg[at..].to_owned()).unwrap_or(qr_svg);
            let spaced =
                secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
            CodeStage::Enrol { secret: spaced.join(" "), qr_svg }
        }
    })
}

/// A second factor accepted: the session token, the staff member, and the recovery codes to
/// show once if the account has just enrolled.
#[derive(Debug)]
pub struct Verified {
    pub token: String,
    pub staff: Staff,
    pub recovery_codes: Vec<String>,
    /// Recovery codes the account has left (after one was used).
    pub recovery_left: i64,
}

/// Checks the code of the challenge `token`. [`AppError::Unauthorized`] for a wrong, reused or
/// expired code (the challenge stays open for another try while it lasts),
/// [`AppError::TooManyRequests`] while wrong codes from this address must wait.
pub async fn verify(
    services: &Services,
    token: &str,
    form: &CodeForm,
    client: &str,
    now: OffsetDateTime,
) -> Result<Verified, AppError> {
    let factor = form.parse().map_err(AppError::Invalid)?;
    let now_ms = unix_ms(now);
    let Some(c) = challenge(services, token, now_ms).await? else { return Err(AppError::Unauthorized) };
    let user = c.username.as_str();
    let key = format!("code:{user}@{client}");
    if super::track::begin_try(services, &key, now_ms, LOGIN_POLICY).await?.is_err() {
        audit(services, now, user, "second_factor_locked", client).await?;
        return Err(AppError::TooManyRequests);
    }
    let account = services.staff.staff_get(user).await?.filter(|a| !a.disabled).ok_or(AppError::Unauthorized)?;
    let now_s = now.unix_timestamp();
    let mut recovery_codes = Vec::new();
    let accepted = match (&c.pending_secret, &factor) {
        // Enrolment: the first code from the app confirms the secret it was given.
        (Some(secret), SecondFactor::Totp(code)) => match matching_step(secret, code, now_s)? {
            Some(step) => {
                recovery_codes = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
                let hashes: Vec<String> = recovery_codes.iter().map(|c| sha2_hex(c)).collect();
                services.staff.totp_enrol(user, secret, step, &hashes).await?;
                audit(services, now, user, "second_factor_enrolled", client).await?;
                true
            }
            None => false,
        },
        (Some(_), SecondFactor::Recovery(_)) => false,
        (None, SecondFactor::Totp(code)) => match services.staff.totp_secret(user).await? {
            Some(secret) => match matching_step(&secret, code, now_s)? {
                Some(step) => services.staff.totp_use_step(user, step).await?,
                None => false,
            },
            None => false,
        },
        (None, SecondFactor::Recovery(code)) => {
            let used = services.staff.recovery_use(user, &sha2_hex(code)).await?;
            if used {
                audit(services, now, user, "recovery_code_used", client).await?;
            }
            used
        }
    };
    if !accepted {
        audit(services, now, user, "second_factor_failed", client).await?;
        return Err(AppError::Unauthorized);
    }
    services.cases.throttle_clear(&key).await?;
    services.staff.challenge_delete(&sha2_hex(token)).await?;
    let session = hex::encode(rand::random::<[u8; 32]>());
    services.staff.session_create(&sha2_hex(&session), user, now_ms).await?;
    audit(services, now, user, "sign_in", client).await?;
    let recovery_left = services.staff.recovery_left(user).await?;
    Ok(Verified {
        token: session,
        staff: account.staff,
        recovery_codes: recovery_codes.iter().map(|c| recovery_display(c)).collect(),
        recovery_left,
    })
}

/// Removes an account's second factor and recovery codes and ends its sessions (the
/// `staff totp-reset` command): it enrols again at its next sign-in.
pub async fn reset(services: &Services, username: &str, now: OffsetDateTime) -> Result<(), AppError> {
    services.staff.staff_get(username).await?.ok_or(AppError::NotFound)?;
    services.staff.totp_reset(username).await?;
    services.staff.sessions_end(username).await?;
    super::audit::audit(services, now, None, "second_factor_reset", Some(username), None).await
}

/// The challenge token in a `Cookie` header, if any.
pub fn challenge_token(cookie_header: &str) -> Option<&str> {
    crate::service::codes::cookie_token(cookie_header, CHALLENGE_COOKIE)
}

/// The `Set-Cookie` header of a challenge (or, with `None`, of its end): for the sign-in pages
/// only, never sent elsewhere.
pub fn cookie_header(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{CHALLENGE_COOKIE}={t}; Path=/staff/login; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
            CHALLENGE_MS / 1000
        ),
        None => format!("{CHALLENGE_COOKIE}=; Path=/staff/login; Max-Age=0; HttpOnly; SameSite=Strict{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1, the 8-digit values' last 6 digits.
        let secret = match totp_rs::Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            totp_rs::Secret::Encoded(s) => s,
            _ => unreachable!(),
        };
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
        assert_eq!(code_at(&secret, 1_111_111_109).unwrap(), "081804");
        assert_eq!(code_at(&secret, 2_000_000_000).unwrap(), "279037");
        // The step before and after are taken (drift), two steps away is not.
        let now = 1_111_111_109;
        let step = now / 30;
        assert_eq!(matching_step(&secret, "081804", now).unwrap(), Some(step));
        assert_eq!(matching_step(&secret, &code_at(&secret, now - 30).unwrap(), now).unwrap(), Some(step - 1));
        assert_eq!(matching_step(&secret, &code_at(&secret, now + 30).unwrap(), now).unwrap(), Some(step + 1));
        assert_eq!(matching_step(&secret, &code_at(&secret, now - 60).unwrap(), now).unwrap(), None);
    }

    #[test]
    fn new_secrets_are_160_bits_of_base32_and_named_in_the_uri() {
        let s = new_secret();
        assert_eq!(s.len(), 32);
        assert!(s.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        assert_ne!(new_secret(), s);
        let uri = otpauth_uri("sup.wang", &s);
        assert!(uri.starts_with("otpauth://totp/Qinghai%2012315:sup.wang?secret="), "{uri}");
        assert!(uri.contains(&s) && uri.contains("period=30"));
    }
}
