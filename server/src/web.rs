//! The HTTP surface: the Leptos pages and server functions, static assets, health, metrics,
//! the preference switch, and the headers every response carries.

use crate::forms::{ClientIpHeader, Pages};
use crate::{filing, metrics_setup, staff, track};
use app::prefs::{safe_back, LANG_COOKIE, TEXT_COOKIE};
use app::{shell, App, Services, SiteConfig};
use axum::body::Body;
use axum::extract::{FromRef, MatchedPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use metrics_exporter_prometheus::PrometheusHandle;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub site: SiteConfig,
    pub metrics: PrometheusHandle,
    /// Behind a reverse proxy: the header carrying the client's address.
    pub client_ip_header: Option<header::HeaderName>,
    /// The open-day screen's live feed.
    pub live: crate::open_day::Live,
    /// The cap on requests in flight (`PORTAL_MAX_IN_FLIGHT`).
    pub gate: crate::limits::Gate,
    /// Whether the portal is reached over HTTPS (`PORTAL_PUBLIC_URL`): prefixed, Secure cookies and HSTS.
    pub deployment: crate::deploy::Deployment,
}

/// Leptos options for serving `addr`. Output name and paths come from cargo-leptos (or the
/// defaults of `Cargo.toml`'s metadata); hashed file names are used when cargo-leptos wrote
/// the hash file next to the executable.
pub fn leptos_options(addr: std::net::SocketAddr) -> LeptosOptions {
    let mut options = leptos::config::get_configuration(None)
        .map(|c| c.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("portal").build());
    let hash_file = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default()
        .join(options.hash_file.as_ref());
    if options.output_name.is_empty() {
        options.output_name = "portal".into();
    }
    options.site_addr = addr;
    options.hash_files = hash_file.exists();
    options
}

/// The app's routes, worked out once per process. Generating them runs the app with resource
/// loading suppressed by a process-wide flag, so a page rendered at that moment on another thread
/// would wait forever (leptos issue 4773); doing it once, before anything is served, avoids that
/// when several routers are built (as the tests do).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

impl FromRef<AppState> for ClientIpHeader {
    fn from_ref(state: &AppState) -> Self {
        ClientIpHeader(state.client_ip_header.clone())
    }
}

/// Every endpoint of the portal, in one router: the Leptos pages and server functions, the plain
/// form posts that make every form work without JavaScript (rendering their page again through
/// [`Pages`] when a form comes back), the staff routes behind [`staff::guard`], the open day's
/// feeds, static assets, health and metrics.
pub fn app(state: AppState) -> Router {
    use axum::routing::{get_service, post};
    let routes = route_list();
    let context = {
        let services = state.services.clone();
        let site = state.site;
        move || {
            provide_context(services.clone());
            provide_context(site);
        }
    };
    let options = state.leptos_options.clone();
    let site_root = PathBuf::from(options.site_root.as_ref());
    let pkg_dir = site_root.join(options.site_pkg_dir.as_ref());
    // Hashed names change with every build, so they may be cached for good; otherwise revalidate.
    let cache = if options.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        .service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip());
    let favicon = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
        .service(ServeFile::new(site_root.join("favicon.svg")));
    // The service worker: asked again on every visit, and with a policy of its own (a worker's
    // fetches follow its script's policy, and every other file's allows nothing).
    let service_worker = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'"),
        ))
        .service(ServeFile::new(site_root.join("sw.js")));

    // The pages alone: what a plain form post renders again, and what the staff pages serve.
    let pages: Router = {
        let options = options.clone();
        Router::new()
            .leptos_routes_with_context(&state, routes.clone(), context.clone(), move || shell(options.clone()))
            .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context.clone(), shell))
            .with_state(state.clone())
    };
    let page = || get_service(pages.clone());
    // Staff pages (every one but the sign-in page) and staff posts, all behind the guard.
    let sign_in = |path: &str| path == "/staff/login" || path == "/staff/login/code";
    let is_staff = |path: &str| (path == "/staff" || path.starts_with("/staff/")) && !sign_in(path);
    let mut staff = Router::new();
    for route in routes.iter().filter(|r| is_staff(r.path())) {
        staff = staff.route(route.path(), page());
    }
    let staff = staff
        .route("/staff/cases/{case_no}", post(staff::take_step))
        .route("/staff/business/cases/{case_no}", post(staff::business_answer))
        .route("/staff/intake", post(staff::intake))
        .route("/staff/publish", post(staff::review))
        .route("/staff/outbox", post(staff::resend_notice))
        .route("/staff/register", post(staff::register_decide))
        .route("/staff/register/add", post(staff::register_add))
        .route("/staff/objections", post(staff::object))
        .route("/staff/business/objections", post(staff::object))
        .route("/staff/objections/{id}", post(staff::decide_objection))
        .route("/staff/screen", post(staff::screen_follow))
        .route("/staff/evidence/{id}", get(staff::evidence))
        .route_layer(middleware::from_fn_with_state(state.services.clone(), staff::guard));
    // The alerts' pages are rendered by their own handlers (`crate::alerts`), GET and POST.
    let alerts = |path: &str| path == "/alerts" || path.starts_with("/alerts/");
    let public: Vec<_> =
        routes.into_iter().filter(|r| !is_staff(r.path()) && !sign_in(r.path()) && !alerts(r.path())).collect();
    let no_store = SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));

    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/prefs", get(prefs))
        .route("/stats.csv", get(crate::open_day::stats_csv))
        .route("/businesses/{key}/feed.atom", get(crate::feeds::business))
        .route("/businesses/county/{code}/feed.atom", get(crate::feeds::county))
        .route("/stats/live", get(crate::open_day::live))
        .route_service("/screen.js", ServeFile::new(site_root.join("screen.js")))
        .route_service("/offline.js", ServeFile::new(site_root.join("offline.js")))
        .route_service("/upload.js", ServeFile::new(site_root.join("upload.js")))
        .route_service("/sw.js", service_worker)
        .route_service("/manifest.webmanifest", ServeFile::new(site_root.join("manifest.webmanifest")))
        .route("/pkg/messages/{file}", get(messages))
        .route("/pkg/data/{file}", get(data))
        .nest_service("/pkg", pkg)
        .route_service("/favicon.svg", favicon)
        .leptos_routes_with_context(&state, public, context.clone(), move || shell(options.clone()))
        // The plain form posts, beside the pages they come from.
        .route("/file", post(filing::submit))
        .route("/file/evidence", post(filing::upload))
        .route("/track", post(track::look_up))
        .route("/track/recover", post(track::recover))
        .route("/track/recover/cases", post(track::recover_pick))
        .route("/track/{case_no}", post(track::take_step))
        .route("/alerts", get(crate::alerts::form).post(crate::alerts::subscribe))
        .route("/alerts/confirm", get(crate::alerts::confirm).post(crate::alerts::confirm))
        .route("/alerts/unsubscribe", get(crate::alerts::unsubscribe).post(crate::alerts::unsubscribe))
        .route("/staff/login", page().post(staff::sign_in).layer(no_store.clone()))
        .route("/staff/login/code", get(staff::code_page).post(staff::code).layer(no_store))
        .route("/staff/logout", post(staff::sign_out))
        .merge(staff)
        .merge(crate::api::router(state.services.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(Extension(Pages(pages)))
        .layer(middleware::from_fn(record_metrics))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(state.deployment, crate::deploy::https_only))
        .layer(middleware::from_fn(same_origin))
        .layer(middleware::from_fn_with_state(ClientIpHeader::from_ref(&state), client_address))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
            // The path only: query strings can carry personal data (e.g. a phone number).
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state.clone());
    crate::limits::harden(router, state.gate)
}

/// Puts the client's address in the request, where the server functions read it.
async fn client_address(State(header): State<ClientIpHeader>, req: Request<Body>, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let address = crate::forms::client_address(&parts, &header);
    parts.extensions.insert(app::service::state::ClientAddress(address));
    next.run(Request::from_parts(parts, body)).await
}

/// Refuses a state-changing request that a browser sent from another site (its `Origin`, or
/// failing that its `Referer`, names another host): with SameSite cookies, the CSRF defence.
async fn same_origin(req: Request<Body>, next: Next) -> Response {
    use axum::http::Method;
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    // RFC 8058's one-click unsubscribe comes from the mail provider, not the portal's pages; the
    // link's token authorizes it, and it only ever removes a subscription.
    if req.uri().path() == "/alerts/unsubscribe" {
        return next.run(req).await;
    }
    let h = req.headers();
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let source = h.get(header::ORIGIN).or_else(|| h.get(header::REFERER)).and_then(|v| v.to_str().ok());
    if let Some(source) = source {
        let authority = source.split("://").nth(1).map(|rest| rest.split('/').next().unwrap_or_default());
        if authority != Some(host) || host.is_empty() {
            return (StatusCode::FORBIDDEN, "跨站请求已拒绝 / Cross-site request refused").into_response();
        }
    }
    next.run(req).await
}

async fn healthz(State(services): State<Services>) -> Response {
    match services.cases.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
        )
            .into_response(),
    }
}

/// `/metrics` (Prometheus text), served on its own address (`PORTAL_METRICS_ADDR`), never on the
/// public one.
pub fn metrics_router(handle: PrometheusHandle) -> Router {
    Router::new().route("/metrics", get(metrics)).with_state(handle)
}

async fn metrics(State(handle): State<PrometheusHandle>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
}

#[derive(Deserialize)]
struct PrefsQuery {
    lang: Option<String>,
    text: Option<String>,
    back: Option<String>,
}

/// `/prefs?lang=en&back=/path` or `/prefs?text=large`: sets the preference cookie and returns
/// to the page. A plain link, so it works without JavaScript.
async fn prefs(headers: HeaderMap, Query(q): Query<PrefsQuery>) -> Response {
    let secure = headers.get("x-forwarded-proto").is_some_and(|v| v == "https");
    let mut cookies = Vec::new();
    if let Some(lang) = q.lang.as_deref() {
        let Some(l) = app::i18n::Lang::from_tag(lang) else {
            return (StatusCode::BAD_REQUEST, "unknown language / 不支持的语言").into_response();
        };
        cookies.push(format!("{LANG_COOKIE}={}", l.tag()));
    }
    if let Some(text) = q.text.as_deref() {
        if !matches!(text, "large" | "normal") {
            return (StatusCode::BAD_REQUEST, "unknown text size / 不支持的字号").into_response();
        }
        cookies.push(format!("{TEXT_COOKIE}={text}"));
    }
    let back = safe_back(q.back.as_deref().unwrap_or("/"));
    let mut res = Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, back);
    for c in cookies {
        let attrs = if secure { "; Secure" } else { "" };
        res = res.header(header::SET_COOKIE, format!("{c}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{attrs}"));
    }
    res.body(Body::empty()).unwrap_or_else(|_| StatusCode::BAD_REQUEST.into_response())
}

/// A language's messages for the browser (the page's start script fetches them beside the
/// WebAssembly), from the tables compiled into the server. Named by their content's hash, so
/// cached for good.
async fn messages(axum::extract::Path(file): axum::extract::Path<String>, headers: HeaderMap) -> Response {
    use app::i18n::Lang;
    use std::sync::OnceLock;
    static BROTLI: [OnceLock<Vec<u8>>; Lang::ALL.len()] = [const { OnceLock::new() }; Lang::ALL.len()];
    let Some(i) = Lang::ALL.iter().position(|l| app::i18n::messages_file(*l) == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    built_file(&headers, "text/plain; charset=utf-8", Lang::ALL[i].msgs_text().0.as_bytes(), &BROTLI[i])
}

/// The data files parsed, in postcard, for the browser (`app::domain::shipped`), named by their
/// content's hash like the messages.
async fn data(axum::extract::Path(file): axum::extract::Path<String>, headers: HeaderMap) -> Response {
    static BROTLI: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let (bytes, name) = app::boot::shipped_data();
    if file != *name {
        return StatusCode::NOT_FOUND.into_response();
    }
    built_file(&headers, "application/octet-stream", bytes, &BROTLI)
}

/// A file the server makes for the browser, answered like the build's files: cached for good and
/// brotli-compressed (once, into `brotli`) when the browser takes it.
fn built_file(
    headers: &HeaderMap,
    content_type: &'static str,
    body: &'static [u8],
    brotli: &'static std::sync::OnceLock<Vec<u8>>,
) -> Response {
    let br = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.split(';').next().is_some_and(|e| e.trim() == "br")));
    let common = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        (header::VARY, "accept-encoding"),
    ];
    if !br {
        return (common, axum::body::Bytes::from_static(body)).into_response();
    }
    let compressed = brotli.get_or_init(|| {
        let mut out = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
        // Writing into a Vec cannot fail.
        let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
        out
    });
    (common, [(header::CONTENT_ENCODING, "br")], axum::body::Bytes::from_static(compressed)).into_response()
}

/// Headers every response carries. HTML pages set their own nonce-based CSP in the shell; any
/// other response gets a CSP that allows nothing to run.
async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Case numbers are in URLs: never send them to another site. (`no-referrer` would also make
    // browsers send `Origin: null` on this site's own form posts, defeating the same-origin check.)
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("permissions-policy", HeaderValue::from_static("geolocation=(), microphone=(), payment=()"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'"),
        );
    }
    res
}

/// Counts requests and their latency by route pattern (never by raw path, which could hold a
/// case number, nor by query).
async fn record_metrics(req: Request<Body>, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned()).unwrap_or_else(|| {
        if req.uri().path().starts_with("/pkg/") {
            "/pkg".into()
        } else {
            "other".into()
        }
    });
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    metrics_setup::record_request(method, route, res.status().as_u16(), start.elapsed());
    res
}
