//! Atom feeds of newly disclosed complaints: per business (`/businesses/{key}/feed.atom`) and per
//! county (`/businesses/county/{code}/feed.atom`), the 50 most recently disclosed, newest first,
//! written with `atom_syndication`. What they carry is what the record pages show: no personal
//! data. `?lang=en` for English; Chinese otherwise.

use crate::deploy::Deployment;
use app::domain::disclosure;
use app::i18n::{self, Lang};
use app::views::disclosure::record_href;
use app::Services;
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// Entries a feed carries.
const ENTRIES: i64 = 50;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FeedQuery {
    lang: String,
}

fn lang_of(q: &FeedQuery) -> Lang {
    Lang::from_tag(&q.lang).unwrap_or_default()
}

/// The portal's address as the client reached it.
fn base(deployment: Deployment, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    format!("{}://{host}", if deployment.https { "https" } else { "http" })
}

fn time_of(ms: i64) -> FixedDateTime {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(time::macros::offset!(+8));
    let text = at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    FixedDateTime::parse_from_rfc3339(&text).unwrap_or_default()
}

fn entry(lang: Lang, site: &str, i: &app::ports::DisclosedItem) -> Entry {
    let (id, at, d) = (i.id, i.disclosed_at, &i.item);
    let m = lang.msgs();
    let page = format!("{site}{}#complaint-{id}", record_href(&d.business_key));
    let handling = m.term("handling", d.handling.code());
    let title = format!("{} · {} · {handling}", d.business_name, i18n::category_name(lang, &d.category));
    let mut lines = vec![
        format!("{}：{}", m.businesses_complained, d.complained),
        format!("{}：{}", m.businesses_handled, d.handled),
        format!(
            "{}：{}",
            m.businesses_issue,
            d.issue.clone().unwrap_or_else(|| m.businesses_words_withheld.to_owned())
        ),
    ];
    if let Some(k) = &d.demand {
        lines.push(format!("{}：{}", m.businesses_request, m.term("demand", k)));
    }
    lines.push(format!("{}：{handling}", m.businesses_handling));
    if let Some(on) = &i.corrected_on {
        lines.push(i18n::fill(m.businesses_corrected, &[("on", on)]));
    }
    Entry {
        title: Text::plain(title),
        id: page.clone(),
        updated: time_of(at),
        links: vec![Link {
            href: page,
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        }],
        content: Some(Content {
            value: Some(lines.join("\n")),
            content_type: Some("text".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The feed of a business (`key`) or a county, at `path` on this site.
async fn feed(
    (services, deployment): (&Services, Deployment),
    headers: &HeaderMap,
    lang: Lang,
    (key, county): (Option<&str>, Option<&str>),
    path: &str,
) -> Response {
    // From the primary, like every list of disclosed complaints: a take-down holds at once.
    let items = match services.cases.disclosed_recent(key, county, ENTRIES).await {
        Ok(items) => items,
        Err(e) => {
            tracing::error!(error = %e, "disclosure feed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let site = base(deployment, headers);
    let m = lang.msgs();
    let (title, page) = match (key, county) {
        (Some(k), _) => {
            let name = items.first().map(|i| i.item.business_name.clone()).unwrap_or_else(|| k.to_owned());
            (format!("{name} · {}", m.businesses_disclosed), format!("{site}{}", record_href(k)))
        }
        (None, Some(c)) => {
            let name = app::domain::region::county(c).map(|x| lang.pick(&x.zh, &x.en).to_owned()).unwrap_or_default();
            (format!("{name} · {}", m.businesses_disclosed), format!("{site}/businesses?county={c}"))
        }
        (None, None) => (m.businesses_disclosed.to_owned(), format!("{site}/businesses")),
    };
    let self_href = format!("{site}{path}");
    let updated = items.first().map(|i| i.disclosed_at).unwrap_or(0);
    let feed = Feed {
        title: Text::plain(title),
        id: page.clone(),
        updated: time_of(updated),
        authors: vec![Person { name: m.businesses_heading.to_owned(), ..Default::default() }],
        links: vec![
            Link { href: page, rel: "alternate".into(), mime_type: Some("text/html".into()), ..Default::default() },
            Link {
                href: self_href,
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
        ],
        lang: Some(lang.tag().to_owned()),
        entries: items.iter().map(|i| entry(lang, &site, i)).collect(),
        ..Default::default()
    };
    crate::api::revalidated(crate::api::cached(
        headers,
        "application/atom+xml; charset=utf-8",
        feed.to_string().into_bytes(),
    ))
}

/// `GET /businesses/{key}/feed.atom`: a business's newly disclosed complaints (404 for a key that
/// cannot be one).
pub async fn business(
    State(services): State<Services>,
    State(deployment): State<Deployment>,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Response {
    if !disclosure::valid_key(&key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let path = format!("{}/feed.atom", record_href(&key));
    feed((&services, deployment), &headers, lang_of(&q), (Some(&key), None), &path).await
}

/// `GET /businesses/county/{code}/feed.atom`: a county's newly disclosed complaints.
pub async fn county(
    State(services): State<Services>,
    State(deployment): State<Deployment>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Response {
    if app::domain::region::county(&code).is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let path = format!("/businesses/county/{code}/feed.atom");
    feed((&services, deployment), &headers, lang_of(&q), (None, Some(&code)), &path).await
}
