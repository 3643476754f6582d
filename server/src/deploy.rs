//! Behind HTTPS (`PORTAL_PUBLIC_URL=https://…`): every cookie is `Secure` and carries the
//! `__Host-` prefix (or `__Secure-` for one scoped to a path), and every response carries HSTS.
//! The prefixes make the browser refuse such a cookie unless it came over HTTPS from this very
//! host, so a neighbouring subdomain or a plain-HTTP network attacker cannot plant one. The
//! rest of the portal never sees the prefixes: they are added to `Set-Cookie` on the way out and
//! taken off `Cookie` on the way in, where a cookie without them is dropped.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

/// What the public address says about the deployment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deployment {
    /// The portal is reached over HTTPS only.
    pub https: bool,
}

impl Deployment {
    /// From `PORTAL_PUBLIC_URL` (unset: a local or test deployment over plain HTTP).
    pub fn from_public_url(url: Option<&str>) -> Self {
        Deployment { https: url.is_some_and(|u| u.to_ascii_lowercase().starts_with("https://")) }
    }
}

const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The middleware: see the module's documentation. Over plain HTTP it changes nothing.
pub async fn https_only(State(d): State<Deployment>, mut req: Request<Body>, next: Next) -> Response {
    if !d.https {
        return next.run(req).await;
    }
    let incoming = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).map(unprefixed);
    match incoming.and_then(|c| HeaderValue::from_str(&c).ok()) {
        Some(v) => {
            req.headers_mut().insert(header::COOKIE, v);
        }
        None => {
            req.headers_mut().remove(header::COOKIE);
        }
    }
    let mut res = next.run(req).await;
    let set: Vec<String> =
        res.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(prefixed).collect();
    let h = res.headers_mut();
    h.remove(header::SET_COOKIE);
    for c in set {
        if let Ok(v) = HeaderValue::from_str(&c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    res
}

/// A `Set-Cookie` value with its prefix and `Secure`: `__Host-` for a cookie of the whole site
/// (`Path=/`, no `Domain`), `__Secure-` otherwise.
pub fn prefixed(set_cookie: &str) -> String {
    let attrs: Vec<&str> = set_cookie.split(';').map(str::trim).collect();
    let whole_site = attrs.iter().any(|a| a.eq_ignore_ascii_case("path=/"))
        && !attrs.iter().any(|a| a.to_ascii_lowercase().starts_with("domain="));
    let prefix = if whole_site { "__Host-" } else { "__Secure-" };
    let secure = attrs.iter().skip(1).any(|a| a.eq_ignore_ascii_case("secure"));
    format!("{prefix}{set_cookie}{}", if secure { "" } else { "; Secure" })
}

/// A `Cookie` header with only the prefixed cookies, their prefixes taken off.
pub fn unprefixed(cookie: &str) -> String {
    cookie
        .split(';')
        .map(str::trim)
        .filter_map(|c| c.strip_prefix("__Host-").or_else(|| c.strip_prefix("__Secure-")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_get_their_prefix_and_secure_and_lose_it_on_the_way_in() {
        assert_eq!(
            prefixed("staff=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict"),
            "__Host-staff=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure"
        );
        assert_eq!(prefixed("lang=en; Path=/; Secure"), "__Host-lang=en; Path=/; Secure");
        assert_eq!(
            prefixed("receipt=QH:ABC; Path=/file/done; Max-Age=900"),
            "__Secure-receipt=QH:ABC; Path=/file/done; Max-Age=900; Secure"
        );
        assert_eq!(unprefixed("__Host-staff=abc; lang=xx; __Secure-receipt=1"), "staff=abc; receipt=1");
        assert_eq!(unprefixed("staff=planted"), "");
        assert!(Deployment::from_public_url(Some("HTTPS://12315.example")).https);
        assert!(!Deployment::from_public_url(Some("http://127.0.0.1:3000")).https);
        assert!(!Deployment::from_public_url(None).https);
    }
}
