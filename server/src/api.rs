//! The open data API under `/api/v1/`: read-only, JSON (the disclosed complaints also as CSV),
//! no cookies read or set, CORS for `GET` from any origin, `ETag` and `Cache-Control` on every
//! answer, a per-address budget of requests shared by every server (429 with `Retry-After`), and
//! the reads that tolerate a little lag sent to the replica where the cluster has one.
//!
//! The types below are the API's contract, kept apart from the pages' view types so that a page
//! can change without changing the API. Its OpenAPI 3.1 document (`/api/v1/openapi.json`) is
//! generated from them and from the handlers' annotations by `utoipa` (a kept crate: the document
//! cannot drift from the code as a hand-written one would).

use app::domain::disclosure;
use app::error::AppError;
use app::Services;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use utoipa::OpenApi;

/// How long a client or a cache may keep an answer before asking again (it revalidates with the
/// `ETag` then).
const MAX_AGE: &str = "public, max-age=60";

mod types;
pub use types::*;
use types::{business, complaint};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "青海12315 open data",
        version = "1",
        description = "The public statistics, businesses' complaint records, disclosed complaints and typical cases of the Qinghai 12315 portal. Read-only; no personal data. See /api for an explanation in Chinese and English."
    ),
    paths(stats, complaints, businesses, business_record, typical_cases, divisions, categories),
    tags((name = "statistics"), (name = "disclosure"), (name = "reference"))
)]
pub struct ApiDoc;

/// The routes, with the budget of requests in front of them (merged into the portal's router,
/// whose state gives the handlers their [`Services`]).
pub fn router<S>(services: Services) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/stats", get(stats))
        .route("/api/v1/complaints", get(complaints))
        .route("/api/v1/businesses", get(businesses))
        .route("/api/v1/businesses/{key}", get(business_record))
        .route("/api/v1/cases", get(typical_cases))
        .route("/api/v1/divisions", get(divisions))
        .route("/api/v1/categories", get(categories))
        .route_layer(axum::middleware::from_fn_with_state(services, budget))
        .layer(axum::middleware::from_fn(cors))
}

/// CORS for reading from any origin: the answers carry no personal data and the API takes no
/// credentials. A preflight is answered here.
async fn cors(req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        let mut res = StatusCode::NO_CONTENT.into_response();
        let h = res.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("If-None-Match"));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        return res;
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ETag, Retry-After"));
    h.remove(header::SET_COOKIE);
    res
}

/// One request of the client address's budget (`PORTAL_API_PER_MINUTE`), counted in the database
/// for every server; spent: 429 with the seconds until the window ends.
async fn budget(State(services): State<Services>, req: Request, next: Next) -> Response {
    let address = req.extensions().get::<app::service::state::ClientAddress>().map(|a| a.0.clone()).unwrap_or_default();
    let now = time::OffsetDateTime::now_utc();
    match app::service::budget::spend_api(services.cases.as_ref(), &services.budgets, &address, now).await {
        Ok(None) => next.run(req).await,
        Ok(Some(retry_after)) => {
            let mut res = refusal(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", Vec::new());
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)));
            res
        }
        Err(e) => answer_error(e),
    }
}

fn refusal(status: StatusCode, error: &str, fields: Vec<FieldProblem>) -> Response {
    (status, axum::Json(ApiError { error: error.to_owned(), fields })).into_response()
}

fn answer_error(e: AppError) -> Response {
    match e {
        AppError::Invalid(errors) => refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            errors
                .into_iter()
                .map(|f| FieldProblem { problem: app::i18n::invalid(app::i18n::Lang::En, &f.invalid), field: f.field })
                .collect(),
        ),
        AppError::NotFound => refusal(StatusCode::NOT_FOUND, "not_found", Vec::new()),
        e => {
            tracing::error!(error = %e, "open data API");
            refusal(StatusCode::SERVICE_UNAVAILABLE, "unavailable", Vec::new())
        }
    }
}

/// The answer with its `ETag` (a hash of the body) and `Cache-Control`; 304 when the client
/// already has it.
pub(crate) fn cached(headers: &HeaderMap, content_type: &'static str, body: Vec<u8>) -> Response {
    use sha2::Digest;
    let tag = format!("\"{}\"", hex::encode(&sha2::Sha256::digest(&body)[..16]));
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag || t.trim() == "*"));
    let mut res = if fresh { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
    let h = res.headers_mut();
    if !fresh {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(MAX_AGE));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    res
}

fn json<T: Serialize>(headers: &HeaderMap, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => cached(headers, "application/json", body),
        Err(e) => {
            tracing::error!(error = %e, "open data API: an answer did not serialise");
            refusal(StatusCode::SERVICE_UNAVAILABLE, "unavailable", Vec::new())
        }
    }
}

/// An operation's query parameters. A query string that does not read as them (bytes that are
/// not UTF-8, a parameter given twice) is refused with 422, like any other bad parameter.
struct ApiQuery<T>(T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Response> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(q)) => Ok(ApiQuery(q)),
            Err(e) => {
                let e: QueryRejection = e;
                let p = FieldProblem { field: "query".into(), problem: e.body_text() };
                Err(refusal(StatusCode::UNPROCESSABLE_ENTITY, "invalid", vec![p]))
            }
        }
    }
}

fn text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// The OpenAPI 3.1 document of this API.
async fn openapi(headers: HeaderMap) -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(doc) => cached(&headers, "application/json", doc.into_bytes()),
        Err(e) => {
            tracing::error!(error = %e, "open data API: the document did not serialise");
            refusal(StatusCode::SERVICE_UNAVAILABLE, "unavailable", Vec::new())
        }
    }
}

/// The public statistics of a period, by category, channel or prefecture.
#[utoipa::path(get, path = "/api/v1/stats", tag = "statistics", params(StatsQuery), responses(
    (status = 200, description = "The figures of the period", body = Stats),
    (status = 422, description = "A parameter is not valid", body = ApiError),
    (status = 429, description = "This address's requests per minute are spent", body = ApiError, headers(("Retry-After" = u64, description = "Seconds until the budget renews"))),
))]
async fn stats(State(services): State<Services>, headers: HeaderMap, ApiQuery(q): ApiQuery<StatsQuery>) -> Response {
    let today = app::domain::clock::china_date(time::OffsetDateTime::now_utc());
    let mut problems = Vec::new();
    let period = app::service::stats::parse_period(text(&q.period), today);
    if period.is_err() {
        problems.push(FieldProblem { field: "period".into(), problem: "write 2026, 2026-Q3 or 2026-07".into() });
    }
    let breakdown = q.breakdown.clone().unwrap_or_else(|| "category".into());
    if !matches!(breakdown.as_str(), "category" | "channel" | "prefecture") {
        problems
            .push(FieldProblem { field: "breakdown".into(), problem: "one of category, channel, prefecture".into() });
    }
    let Ok(period) = period.map_err(|_| ()).and_then(|p| problems.is_empty().then_some(p).ok_or(())) else {
        return refusal(StatusCode::UNPROCESSABLE_ENTITY, "invalid", problems);
    };
    let figures = &services.figures;
    let f = match services
        .read_lagging(|store| async move { app::service::stats::figures(store.as_ref(), figures, period).await })
        .await
    {
        Ok(f) => f,
        Err(e) => return answer_error(e),
    };
    let rows = match breakdown.as_str() {
        "channel" => f
            .by_channel
            .iter()
            .map(|(c, p)| {
                let m = app::domain::stats::Measures { received: p.now, ..Default::default() };
                let (zh, en) =
                    (app::i18n::channel(app::i18n::Lang::Zh, *c), app::i18n::channel(app::i18n::Lang::En, *c));
                StatsRow { key: c.code().into(), name_zh: zh.into(), name_en: en.into(), measures: (&m).into() }
            })
            .collect(),
        "prefecture" => f
            .by_prefecture
            .iter()
            .map(|(k, m)| StatsRow {
                key: k.clone(),
                name_zh: app::i18n::prefecture_name(app::i18n::Lang::Zh, k),
                name_en: app::i18n::prefecture_name(app::i18n::Lang::En, k),
                measures: m.into(),
            })
            .collect(),
        _ => f
            .by_category
            .iter()
            .map(|(k, m)| StatsRow {
                key: k.clone(),
                name_zh: app::i18n::category_name(app::i18n::Lang::Zh, k),
                name_en: app::i18n::category_name(app::i18n::Lang::En, k),
                measures: m.into(),
            })
            .collect(),
    };
    let body = Stats {
        period: f.period.code(),
        totals: (&f.totals).into(),
        rates: (&f.totals).into(),
        year_before: (&f.before).into(),
        breakdown,
        rows,
        monthly: f
            .monthly
            .iter()
            .map(|(m, p)| MonthCount { month: m.clone(), received: p.now, received_year_before: p.before })
            .collect(),
        median_decision_days: f.median_decision_days,
        median_closure_days: f.median_closure_days,
    };
    json(&headers, &body)
}

/// Closed complaints as disclosed, newest first, a page at a time; as CSV with `format=csv`.
#[utoipa::path(get, path = "/api/v1/complaints", tag = "disclosure", params(ComplaintsQuery), responses(
    (status = 200, description = "A page of disclosed complaints (as CSV with format=csv)", content(
        (ComplaintsPage = "application/json"),
        (String = "text/csv"),
    )),
    (status = 422, description = "A parameter is not valid", body = ApiError),
    (status = 429, description = "This address's requests per minute are spent", body = ApiError, headers(("Retry-After" = u64, description = "Seconds until the budget renews"))),
))]
async fn complaints(
    State(services): State<Services>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ComplaintsQuery>,
) -> Response {
    let listing = disclosure::parse_listing(
        text(&q.county),
        text(&q.category),
        text(&q.business),
        text(&q.from),
        text(&q.to),
        text(&q.cursor),
        text(&q.limit),
    );
    let csv = match text(&q.format) {
        "" | "json" => false,
        "csv" => true,
        _ => {
            let p = FieldProblem { field: "format".into(), problem: "json or csv".into() };
            return refusal(StatusCode::UNPROCESSABLE_ENTITY, "invalid", vec![p]);
        }
    };
    let listing = match listing {
        Ok(l) => l,
        Err(errors) => return answer_error(AppError::Invalid(errors)),
    };
    let (items, next) = match app::service::disclosure::list(&services, &listing).await {
        Ok(r) => r,
        Err(e) => return answer_error(e),
    };
    let items: Vec<Complaint> = items.into_iter().map(|i| complaint(i.id, i.item, i.corrected_on)).collect();
    if csv {
        return revalidated(cached(&headers, "text/csv; charset=utf-8", complaints_csv(&items).into_bytes()));
    }
    revalidated(json(&headers, &(ComplaintsPage { items, next: next.map(|n| n.to_string()) })))
}

/// An answer listing disclosed complaints: a cache may keep it but must ask again each time (a
/// 304 while the `ETag` holds), so that a take-down holds at once.
pub(crate) fn revalidated(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
    res
}

fn complaints_csv(items: &[Complaint]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "id",
        "business_key",
        "business_name",
        "credit_code",
        "county",
        "category",
        "complainant",
        "complained",
        "arose",
        "handled",
        "issue",
        "demand",
        "request",
        "handling",
        "recovered_fen",
        "corrected_on",
    ]);
    for c in items {
        let _ = w.write_record([
            c.id.to_string(),
            c.business_key.clone(),
            c.business_name.clone(),
            c.credit_code.clone().unwrap_or_default(),
            c.county.clone(),
            c.category.clone(),
            c.complainant.clone(),
            c.complained.clone(),
            c.arose.clone().unwrap_or_default(),
            c.handled.clone(),
            c.issue.clone().unwrap_or_default(),
            c.demand.clone().unwrap_or_default(),
            c.request.clone().unwrap_or_default(),
            c.handling.clone(),
            c.recovered_fen.map(|f| f.to_string()).unwrap_or_default(),
            c.corrected_on.clone().unwrap_or_default(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Businesses by name or credit code, county and category, with their complaints over the last
/// 12 months (none asked: the most complained of).
#[utoipa::path(get, path = "/api/v1/businesses", tag = "disclosure", params(BusinessesQuery), responses(
    (status = 200, description = "The businesses found", body = BusinessesPage),
    (status = 422, description = "A parameter is not valid", body = ApiError),
    (status = 429, description = "This address's requests per minute are spent", body = ApiError, headers(("Retry-After" = u64, description = "Seconds until the budget renews"))),
))]
async fn businesses(
    State(services): State<Services>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<BusinessesQuery>,
) -> Response {
    let p = app::views::disclosure::BusinessesParams {
        q: text(&q.q).to_owned(),
        county: text(&q.county).to_owned(),
        category: text(&q.category).to_owned(),
    };
    match app::service::disclosure::find(&services, &p, time::OffsetDateTime::now_utc()).await {
        Ok(v) => json(
            &headers,
            &(BusinessesPage { from: v.from, to: v.to, items: v.hits.into_iter().map(business).collect() }),
        ),
        Err(e) => answer_error(e),
    }
}

/// A business's record: its figures over the last 12 months (its complaints are in
/// `/api/v1/complaints?business=`).
#[utoipa::path(get, path = "/api/v1/businesses/{key}", tag = "disclosure",
    params(("key" = String, Path, description = "The business's key: a credit code, or n:<county>:<normalised name>")),
    responses(
        (status = 200, description = "The business's record", body = BusinessRecord),
        (status = 404, description = "No record under this key", body = ApiError),
        (status = 429, description = "This address's requests per minute are spent", body = ApiError, headers(("Retry-After" = u64, description = "Seconds until the budget renews"))),
    ))]
async fn business_record(
    State(services): State<Services>,
    headers: HeaderMap,
    key: Result<Path<String>, PathRejection>,
) -> Response {
    // A key that does not decode (bytes that are not UTF-8) names no business.
    let Ok(Path(key)) = key else {
        return refusal(StatusCode::NOT_FOUND, "not_found", Vec::new());
    };
    let now = time::OffsetDateTime::now_utc();
    match app::service::disclosure::record(&services, &key, None, app::i18n::Lang::Zh, now).await {
        Ok(v) => {
            let f = v.figures;
            let count = |(key, complaints): (String, i64)| Count { key, complaints };
            json(
                &headers,
                &(BusinessRecord {
                    business: business(v.business),
                    named: v.named,
                    odr: v.odr,
                    from: f.from,
                    to: f.to,
                    complaints: f.complaints,
                    before: f.before,
                    growth: f.growth,
                    accepted: f.accepted,
                    settled: f.settled,
                    mediation_rate: f.mediation_rate,
                    odr_rate: f.odr_rate,
                    median_days_to_close: f.median_days,
                    recovered_fen: f.recovered_fen,
                    monthly: f.monthly.into_iter().map(count).collect(),
                    top_categories: f.top_categories.into_iter().map(count).collect(),
                }),
            )
        }
        Err(e) => answer_error(e),
    }
}

/// Typical cases, the latest closed first, a page at a time.
#[utoipa::path(get, path = "/api/v1/cases", tag = "disclosure", params(TypicalQuery), responses(
    (status = 200, description = "A page of typical cases", body = TypicalCasesPage),
    (status = 422, description = "A parameter is not valid", body = ApiError),
    (status = 429, description = "This address's requests per minute are spent", body = ApiError, headers(("Retry-After" = u64, description = "Seconds until the budget renews"))),
))]
async fn typical_cases(
    State(services): State<Services>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<TypicalQuery>,
) -> Response {
    let p = app::views::publish::CasesParams {
        category: text(&q.category).to_owned(),
        prefecture: text(&q.prefecture).to_owned(),
        before: text(&q.before).to_owned(),
    };
    match app::service::publish::list(&services, &p).await {
        Ok((cases, next)) => json(
            &headers,
            &(TypicalCasesPage {
                items: cases
                    .into_iter()
                    .map(|d| TypicalCase {
                        kind: d.kind,
                        category: d.category,
                        prefecture: d.prefecture,
                        closed_on: d.closed_on,
                        facts: d.facts,
                        result: d.result,
                    })
                    .collect(),
                next,
            }),
        ),
        Err(e) => answer_error(e),
    }
}

/// The province's prefectures and counties.
#[utoipa::path(get, path = "/api/v1/divisions", tag = "reference", responses(
    (status = 200, description = "The divisions", body = Vec<Division>),
    (status = 429, description = "This address's requests per minute are spent", body = ApiError, headers(("Retry-After" = u64, description = "Seconds until the budget renews"))),
))]
async fn divisions(headers: HeaderMap) -> Response {
    let all: Vec<Division> = app::domain::region::prefectures()
        .iter()
        .map(|p| Division {
            code: p.code.clone(),
            zh: p.zh.clone(),
            en: p.en.clone(),
            counties: p
                .counties
                .iter()
                .map(|c| County { code: c.code.clone(), zh: c.zh.clone(), en: c.en.clone() })
                .collect(),
        })
        .collect();
    json(&headers, &all)
}

/// The categories of goods, services and report topics.
#[utoipa::path(get, path = "/api/v1/categories", tag = "reference", responses(
    (status = 200, description = "The categories", body = Vec<Category>),
    (status = 429, description = "This address's requests per minute are spent", body = ApiError, headers(("Retry-After" = u64, description = "Seconds until the budget renews"))),
))]
async fn categories(headers: HeaderMap) -> Response {
    use app::domain::category::Group;
    let all: Vec<Category> = app::domain::category::all()
        .iter()
        .map(|c| Category {
            code: c.code.clone(),
            group: match c.group {
                Group::Goods => "goods",
                Group::Services => "services",
                Group::Report => "report",
            }
            .into(),
            zh: c.zh.clone(),
            en: c.en.clone(),
        })
        .collect();
    json(&headers, &all)
}
