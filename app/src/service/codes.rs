//! Query codes and tokens: salted hashes, constant-time comparison, and the server's secret from
//! which an online filing's query code is derived.

use crate::domain::case::QueryCode;
use sha2::{Digest, Sha256};

/// SHA-256 of `text`, in hex (session tokens are stored only so).
pub fn sha2_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The value of the cookie `name` in a `Cookie` header, if it is a token of 32 random bytes in
/// hex (a staff session, a sign-in awaiting its second factor).
pub fn cookie_token<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `value`'s HMAC-SHA256 under the site secret in the domain `label`, 128 bits in hex: the same
/// value gives the same key on every server, and the key does not reveal the value (phone
/// numbers in the throttle and budget tables are kept only so).
pub fn keyed_hex(secret: &Secret, label: &[u8], value: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret.0).expect("any key length");
    mac.update(label);
    mac.update(value.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

fn signature(secret: &Secret, label: &str, value: &str, expires: i64) -> hmac::Hmac<Sha256> {
    use hmac::Mac;
    let mut mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(&secret.0).expect("any key length");
    mac.update(label.as_bytes());
    mac.update(b":");
    mac.update(value.as_bytes());
    mac.update(b":");
    mac.update(expires.to_string().as_bytes());
    mac
}

/// `value` signed for `seconds` from `now` (Unix s) under the purpose `label`:
/// `<value>.<expiry, Unix s>.<HMAC-SHA256>`, for a cookie any server of the cluster can check.
/// `value` must hold no `.`.
pub fn sign_for(secret: &Secret, label: &str, value: &str, now: i64, seconds: i64) -> String {
    use hmac::Mac;
    let expires = now + seconds;
    let tag = signature(secret, label, value, expires).finalize().into_bytes();
    format!("{value}.{expires}.{}", hex::encode(tag))
}

/// The value of a [`sign_for`] string of the purpose `label`, if its signature holds (checked in
/// constant time) and it has not expired at `now` (Unix s).
pub fn verify_signed<'a>(secret: &Secret, label: &str, signed: &'a str, now: i64) -> Option<&'a str> {
    use hmac::Mac;
    let mut parts = signed.splitn(3, '.');
    let (value, expires, tag) = (parts.next()?, parts.next()?, parts.next()?);
    let expires: i64 = expires.parse().ok()?;
    let tag = hex::decode(tag).ok()?;
    signature(secret, label, value, expires).verify_slice(&tag).ok()?;
    (expires > now).then_some(value)
}

/// A `Set-Cookie` header for a short-lived, HttpOnly, SameSite=Lax cookie (Lax: a link opened from
/// another app on the same phone still carries it), `Secure` over HTTPS.
pub fn set_cookie(name: &str, value: &str, path: &str, seconds: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path={path}; Max-Age={seconds}; HttpOnly; SameSite=Lax{secure}")
}

/// The values of the cookies called `name` in a `Cookie` header.
pub fn cookie_values<'a>(cookie_header: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    cookie_header.split(';').filter_map(|p| p.trim().split_once('=')).filter(move |(k, _)| *k == name).map(|(_, v)| v)
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
    let (Some("sha256"), Some(salt), Some(hash), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Ok(salt), Ok(hash)) = (hex::decode(salt), hex::decode(hash)) else {
        return false;
    };
    let digest = Sha256::new().chain_update(&salt).chain_update(code.as_str().as_bytes()).finalize();
    digest[..].ct_eq(&hash[..]).into()
}

/// The server's secret, from which the query code of an online filing is derived.
#[derive(Clone)]
pub struct Secret(pub [u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The query code of an online filing, derived from its idempotency key: a retry of the same
/// submission gets the same code back, although only the code's hash is stored.
pub fn derived_query_code(secret: &Secret, key: &str) -> QueryCode {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret.0).expect("any key length");
    mac.update(b"query-code:");
    mac.update(key.as_bytes());
    let out = mac.finalize().into_bytes();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&out[..8]);
    QueryCode::from_random(bytes)
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
    fn derived_codes_depend_on_key_and_secret() {
        let s1 = Secret([1; 32]);
        let s2 = Secret([2; 32]);
        assert_eq!(derived_query_code(&s1, "k"), derived_query_code(&s1, "k"));
        assert_ne!(derived_query_code(&s1, "k"), derived_query_code(&s1, "k2"));
        assert_ne!(derived_query_code(&s1, "k"), derived_query_code(&s2, "k"));
        assert!(!format!("{s1:?}").contains('1'));
    }
}
